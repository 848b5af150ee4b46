/** Self-contained HTML pages (inline CSS, no scripts, no external resources); every value escaped by `html`. */
import type { RuleOutcome } from '../policies/evaluate';
import type { Suppression } from '../policies/suppressions';
import type { ControlReport, FleetReport, TenantReport } from './document';
import { Html, html } from './escape';
import { CONTROL_STATUS, RESPONSIBILITY, RULE_STATUS, T, type Lang } from './i18n';
import { STYLE } from './style';

function page(lang: Lang, title: string, body: Html): string {
  return html`<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${new Html(STYLE)}</style>
</head>
<body>
${body}
</body>
</html>
`.text;
}

function badge(kind: string, text: string): Html {
  return html`<span class="status ${kind}">${text}</span>`;
}

function suppressionTable(lang: Lang, list: readonly Suppression[]): Html {
  return html`<table><thead><tr><th>${T.rule[lang]}</th><th>${T.tenant[lang]}</th><th>${T.resource[lang]}</th><th>${T.reason[lang]}</th></tr></thead><tbody>
${list.map((s) => html`<tr><td><code>${s.rule}</code></td><td>${s.tenant}</td><td><code>${s.resource}</code></td><td>${s.reason}</td></tr>\n`)}</tbody></table>`;
}

function ruleBlock(lang: Lang, r: RuleOutcome): Html {
  const evidence =
    r.evidence.length === 0
      ? html``
      : html`<table><thead><tr><th>${T.resource[lang]}</th><th>${T.attribute[lang]}</th><th>${T.value[lang]}</th></tr></thead><tbody>
${r.evidence.map((e) => html`<tr><td><code>${e.resource}</code></td><td><code>${e.path}</code></td><td><code>${e.value}</code></td></tr>\n`)}</tbody></table>`;
  const findings =
    r.findings.length === 0
      ? html``
      : html`<p><strong>${T.findings[lang]}</strong></p><table class="findings"><thead><tr><th>${T.resource[lang]}</th><th>${T.attribute[lang]}</th><th>${T.found[lang]}</th><th>${T.required[lang]}</th></tr></thead><tbody>
${r.findings.map((f) => html`<tr><td><code>${f.resource}</code></td><td><code>${f.path}</code></td><td><code>${f.found}</code></td><td>${f.required}</td></tr>\n`)}</tbody></table>`;
  const suppressed =
    r.suppressed.length === 0
      ? html``
      : html`<p><strong>${T.suppressions[lang]}</strong></p>${suppressionTable(
          lang,
          r.suppressed.map((s) => s.suppression),
        )}`;
  return html`<div class="rule" data-rule="${r.id}" data-status="${r.status}">
<p>${badge(r.status, RULE_STATUS[r.status][lang])} <code>${r.id}</code> (${T.severity[lang]}: ${r.severity}) ${r.explanation[lang]}</p>
${r.reason !== undefined ? html`<p class="meta">${T.notApplicableBecause[lang]}: ${r.reason}</p>` : html``}
${r.notes.map((n) => html`<p class="meta">${T.notes[lang]}: ${n}</p>`)}
${findings}${suppressed}${evidence}
</div>`;
}

function controlBlock(lang: Lang, c: ControlReport): Html {
  const body =
    c.evidenceKind === 'procedural'
      ? html`<p>${T.procedural[lang]}</p><blockquote>${c.commitment[lang]}</blockquote>`
      : html`<p>${T.commitment[lang]}: ${c.commitment[lang]}</p>${c.rules.map((r) => ruleBlock(lang, r))}`;
  return html`<section class="control" id="control-${c.id}" data-control="${c.id}" data-status="${c.status}">
<h3>${c.id} · ${c.section} ${c.title[lang]} ${badge(c.status, CONTROL_STATUS[c.status][lang])}${c.withSuppressions ? html` ${badge('suppressed', `(${T.withException[lang]})`)}` : html``}</h3>
<p class="meta">${T.owner[lang]}: ${RESPONSIBILITY[c.responsibility][lang]}</p>
${body}
</section>
`;
}

export function tenantHtml(r: TenantReport, lang: Lang): string {
  const other: Lang = lang === 'en' ? 'ja' : 'en';
  const scope = r.scope.inScope
    ? html`<div class="banner in" data-scope="in">${T.inScope[lang]}</div>`
    : html`<div class="banner" data-scope="out"><strong>${T.outOfScope[lang]}</strong><br>${T.reasons[lang]}: ${r.scope.reasons.join('; ')}</div>`;
  const summary = (Object.keys(r.summary) as (keyof typeof r.summary)[]).map((k) => html`<tr><td>${badge(k, CONTROL_STATUS[k][lang])}</td><td>${r.summary[k]}</td></tr>`);
  const body = html`<h1>${T.title[lang]}: ${r.tenant}</h1>
<nav><a href="report.${other}.html">${T.otherLanguage[lang]}</a> · <a href="../index.${lang}.html">${T.fleetTitle[lang]}</a></nav>
<p class="meta">${T.service[lang]}<br>${T.tenant[lang]}: ${r.tenant} · ${T.contractStatus[lang]}: ${r.contractStatus} · ${T.result[lang]}: ${r.passed ? T.passed[lang] : T.failed[lang]} · ${T.generated[lang]}: ${r.generatedAt}</p>
<h2>${T.scope[lang]}</h2>
${scope}
<h2>${T.responsibility[lang]}</h2>
<table><thead><tr><th>${T.customer[lang]}</th><th>${T.provider[lang]}</th></tr></thead>
<tbody><tr><td><ul>${r.responsibilitySplit.customer.map((x) => html`<li>${x[lang]}</li>`)}</ul></td><td><ul>${r.responsibilitySplit.provider.map((x) => html`<li>${x[lang]}</li>`)}</ul></td></tr></tbody></table>
<h2>${T.summary[lang]}</h2>
<table><tbody>${summary}</tbody></table>
<h2>${T.suppressions[lang]}</h2>
${r.suppressions.length === 0 ? html`<p>${T.noSuppressions[lang]}</p>` : suppressionTable(lang, r.suppressions)}
${r.unusedSuppressions.length === 0 ? html`` : html`<h3>${T.unused[lang]}</h3>${suppressionTable(lang, r.unusedSuppressions)}`}
<h2>${T.controls[lang]}</h2>
${r.controls.map((c) => controlBlock(lang, c))}`;
  return page(lang, `${T.title[lang]}: ${r.tenant}`, body);
}

export function fleetHtml(f: FleetReport, lang: Lang): string {
  const other: Lang = lang === 'en' ? 'ja' : 'en';
  const head = f.tenants.map(
    (t) => html`<th><a href="${encodeURIComponent(t.tenant)}/report.${lang}.html">${t.tenant}</a><br><span class="meta">${t.contractStatus}; ${t.inScope ? T.inScopeShort[lang] : T.outOfScopeShort[lang]}</span><br>${badge(t.passed ? 'compliant' : 'non_compliant', t.passed ? T.passed[lang] : T.failed[lang])}</th>`,
  );
  const rows = f.controls.map(
    (c) => html`<tr data-control="${c.id}"><td>${c.id}</td><td>${c.section} ${c.title[lang]}</td>${f.tenants.map((t) => {
      const s = c.statuses[t.tenant];
      return html`<td data-tenant="${t.tenant}">${badge(s, CONTROL_STATUS[s][lang])}</td>`;
    })}</tr>\n`,
  );
  const body = html`<h1>${T.fleetTitle[lang]}</h1>
<nav><a href="index.${other}.html">${T.otherLanguage[lang]}</a></nav>
<p class="meta">${T.service[lang]} · ${T.generated[lang]}: ${f.generatedAt}</p>
<table><thead><tr><th>${T.control[lang]}</th><th>${T.titleCol[lang]}</th>${head}</tr></thead><tbody>
${rows}</tbody></table>
<h2>${T.suppressions[lang]}</h2>
${f.suppressions.length === 0 ? html`<p>${T.noSuppressionsFleet[lang]}</p>` : suppressionTable(lang, f.suppressions)}
${f.unusedSuppressions.length === 0 ? html`` : html`<h3>${T.unused[lang]}</h3>${suppressionTable(lang, f.unusedSuppressions)}`}`;
  return page(lang, T.fleetTitle[lang], body);
}
