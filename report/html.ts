/** Self-contained HTML pages (inline CSS, no scripts, no external resources); every value escaped by `html`. */
import type { RuleOutcome } from '../policies/evaluate';
import type { ResolvedEvidence } from '../policies/resolve';
import type { Suppression } from '../policies/suppressions';
import type { ControlReport, TenantReport } from './document';
import { Html, html } from './escape';
import { CONTROL_STATUS, contractStatus, EVIDENCE_KIND, RESPONSIBILITY, RULE_STATUS, SEVERITY, T, VERDICT, type Lang } from './i18n';
import { say } from './ja';
import type { Provenance } from './provenance';
import { STYLE } from './style';

function page(lang: Lang, title: string, body: Html): string {
  return `${pageOpen(lang, title)}${body.text}${PAGE_CLOSE}`;
}

/** A page up to its body: `page` is this, the body, then PAGE_CLOSE. */
export function pageOpen(lang: Lang, title: string): string {
  return html`<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${new Html(STYLE)}</style>
</head>
<body>
`.text;
}

export const PAGE_CLOSE = '\n</body>\n</html>\n';

/** A value quoted as written by people (contract, suppressions): shown as it is, marked as a quotation. */
function quoted(text: string): Html {
  return html`<q class="verbatim">${text}</q>`;
}

export function badge(kind: string, text: string): Html {
  return html`<span class="status ${kind}">${text}</span>`;
}

/** The provenance block: first thing on every page, so it is on the first screen and the first printed page. */
export function provenanceBlock(lang: Lang, p: Provenance): Html {
  const code = html`<code>${p.code.commit}</code>${p.code.dirty ? html` (${T.uncommitted[lang]})` : html``}`;
  return html`<section id="provenance" class="provenance" data-evidence="${p.evidence.map((e) => e.kind).join(' ')}">
<h2>${T.provenance[lang]}</h2>
<table><tbody>
<tr><th>${T.evidenceKind[lang]}</th><td>${p.evidence.map((e) => html`<strong data-evidence-kind="${e.kind}">${EVIDENCE_KIND[e.kind][lang]}</strong> (${T.evidenceSource[lang]}: <code>${e.source}</code>)<br>`)}</td></tr>
<tr><th>${T.generatedJst[lang]}</th><td data-generated>${p.generatedAt}</td></tr>
<tr><th>${T.codeCommit[lang]}</th><td data-code-commit>${code}</td></tr>
<tr><th>${T.toolVersion[lang]}</th><td><code>${p.tool.name} ${p.tool.version}</code></td></tr>
<tr><th>${T.contractsCommit[lang]}</th><td>${p.contracts.commit !== undefined ? html`<code>${p.contracts.commit}</code>` : T.contractsNotCommitted[lang]}</td></tr>
${p.contracts.files.map((f) => html`<tr><th>${T.contractFile[lang]}</th><td><code>${f.file}</code><br><code class="sha256">SHA-256 ${f.sha256}</code></td></tr>\n`)}</tbody></table>
</section>`;
}

export function suppressionTable(lang: Lang, list: readonly Suppression[]): Html {
  return html`<table><thead><tr><th>${T.rule[lang]}</th><th>${T.tenant[lang]}</th><th>${T.resource[lang]}</th><th>${T.reason[lang]}</th></tr></thead><tbody>
${list.map((s) => html`<tr><td><code>${s.rule}</code></td><td>${s.tenant}</td><td><code>${s.resource}</code></td><td>${quoted(s.reason)}</td></tr>\n`)}</tbody></table>`;
}

/** An evidence value; each Terraform reference in it followed by the resource it points to and that resource's settings. */
function evidenceValue(lang: Lang, e: ResolvedEvidence): Html {
  const refs = (e.resolved ?? []).map(
    (r) => html`<div class="resolved" data-reference="${r.reference}">↳ <code>${r.reference}</code> ${T.pointsTo[lang]}: ${
      r.resource === undefined
        ? T.notInStack[lang]
        : html`<code>${r.resource}</code><ul>${r.attributes.map((a) => html`<li><code>${a.path}</code> = <code>${a.value}</code></li>`)}</ul>`
    }</div>`,
  );
  return html`<code>${say(lang, e.value)}</code>${refs}`;
}

function exceptionBlock(lang: Lang, r: RuleOutcome): Html {
  const x = r.exception;
  if (x === undefined) return html``;
  return html`<table class="exception" data-exception><caption>${T.exception[lang]}</caption><tbody>
<tr><th>${T.exceptionCovers[lang]}</th><td><code>${say(lang, x.covers)}</code></td></tr>
<tr><th>${T.approvedBy[lang]}</th><td data-approved-by>${quoted(x.approvedBy)}</td></tr>
<tr><th>${T.approvedOn[lang]}</th><td data-approved-on>${x.approvedOn ?? T.notRecorded[lang]}</td></tr>
<tr><th>${T.reason[lang]}</th><td>${quoted(x.reason)}</td></tr>
<tr><th>${T.recordedIn[lang]}</th><td><code>${x.source}</code></td></tr>
</tbody></table>`;
}

function ruleBlock(lang: Lang, r: RuleOutcome): Html {
  const evidence =
    r.evidence.length === 0
      ? html``
      : html`<table><thead><tr><th>${T.resource[lang]}</th><th>${T.attribute[lang]}</th><th>${T.value[lang]}</th></tr></thead><tbody>
${r.evidence.map((e) => html`<tr><td><code>${say(lang, e.resource)}</code></td><td><code>${say(lang, e.path)}</code></td><td>${evidenceValue(lang, e)}</td></tr>\n`)}</tbody></table>`;
  const findings =
    r.findings.length === 0
      ? html``
      : html`<p><strong>${T.findings[lang]}</strong></p><table class="findings"><thead><tr><th>${T.resource[lang]}</th><th>${T.attribute[lang]}</th><th>${T.found[lang]}</th><th>${T.required[lang]}</th></tr></thead><tbody>
${r.findings.map((f) => html`<tr><td><code>${f.resource}</code></td><td><code>${f.path}</code></td><td><code>${say(lang, f.found)}</code></td><td>${say(lang, f.required)}</td></tr>\n`)}</tbody></table>`;
  const suppressed =
    r.suppressed.length === 0
      ? html``
      : html`<p><strong>${T.suppressions[lang]}</strong></p>${suppressionTable(
          lang,
          r.suppressed.map((s) => s.suppression),
        )}`;
  return html`<div class="rule" data-rule="${r.id}" data-status="${r.status}">
<p>${badge(r.status, RULE_STATUS[r.status][lang])} <code>${r.id}</code> (${T.severity[lang]}: ${SEVERITY[r.severity][lang]}) ${r.explanation[lang]}</p>
${r.reason !== undefined ? html`<p class="meta">${T.notApplicableBecause[lang]}: ${say(lang, r.reason)}</p>` : html``}
${r.notes.map((n) => html`<p class="meta">${T.notes[lang]}: ${say(lang, n)}</p>`)}
${exceptionBlock(lang, r)}${findings}${suppressed}${evidence}
</div>`;
}

/** The control's status on the deployed state, flagged when it is not the intended one. */
function deployedBadge(lang: Lang, c: ControlReport): Html {
  const d = c.deployed;
  if (d === undefined) return html``;
  return html` <span class="deployed${d.differs ? ' differs' : ''}" data-deployed-status="${d.status}"${d.differs ? html` data-differs` : html``}>${T.deployedShort[lang]}: ${badge(d.status, CONTROL_STATUS[d.status][lang])}${d.differs ? html` <strong class="drift-flag">⚠ ${T.differsFlag[lang]}</strong>` : html``}</span>`;
}

function controlBlock(lang: Lang, c: ControlReport): Html {
  const onDeployed =
    c.deployed === undefined || c.deployed.rules.length === 0
      ? html``
      : html`<div class="deployed-rules" data-deployed-rules><p><strong>${T.deployedVerdict[lang]}</strong></p>${c.deployed.rules.map((r) => ruleBlock(lang, r))}</div>`;
  const body =
    c.evidenceKind === 'procedural'
      ? html`<p>${T.procedural[lang]}</p><blockquote>${c.commitment[lang]}</blockquote>`
      : html`<p>${T.commitment[lang]}: ${c.commitment[lang]}</p>${c.rules.map((r) => ruleBlock(lang, r))}${onDeployed}`;
  return html`<section class="control" id="control-${c.id}" data-control="${c.id}" data-status="${c.status}">
<h3>${c.id} · ${c.section} ${c.title[lang]} ${badge(c.status, CONTROL_STATUS[c.status][lang])}${c.withSuppressions ? html` ${badge('suppressed', `(${T.withException[lang]})`)}` : html``}${deployedBadge(lang, c)}</h3>
<p class="meta">${T.owner[lang]}: ${RESPONSIBILITY[c.responsibility][lang]}</p>
${body}
</section>
`;
}

/** The table of contents (also the printed PDF's): the report's parts and every control with its status. */
function contents(lang: Lang, r: TenantReport): Html {
  const parts: [string, string][] = [
    ['provenance', T.provenance[lang]],
    ['scope', T.scope[lang]],
    ['responsibility', T.responsibility[lang]],
    ['summary', T.summary[lang]],
    ...(r.deployed === undefined ? [] : [['deployed', T.deployedState[lang]] as [string, string]]),
    ['suppressions', T.suppressions[lang]],
    ['controls', T.controls[lang]],
  ];
  return html`<nav class="toc" id="contents"><h2>${T.contents[lang]}</h2><ol>
${parts.map(([id, label]) => html`<li><a href="#${id}">${label}</a>${id === 'controls' ? html`<ol class="controls-toc">${r.controls.map((c) => html`<li><a href="#control-${c.id}">${c.id} ${c.title[lang]}</a> · ${CONTROL_STATUS[c.status][lang]}</li>`)}</ol>` : html``}</li>\n`)}</ol></nav>`;
}

/** What was read of the deployed state: the differences from the intent and the rules' results on it. */
function deployedBlock(lang: Lang, r: TenantReport): Html {
  const d = r.deployed;
  if (d === undefined) return html``;
  const diffs =
    d.differences.length === 0
      ? html`<p data-no-drift>${T.noDrift[lang]}</p>`
      : html`<table class="differences" data-differences="${d.differences.length}"><caption>${T.differences[lang]}</caption><thead><tr><th>${T.resource[lang]}</th><th>${T.attribute[lang]}</th><th>${T.intendedValue[lang]}</th><th>${T.deployedValue[lang]}</th></tr></thead><tbody>
${d.differences.map((x) => html`<tr><td><code>${x.address}</code></td><td>${x.attribute === '' ? T.wholeResource[lang] : html`<code>${x.attribute}</code>`}</td><td><code>${say(lang, x.intended)}</code></td><td><code>${say(lang, x.deployed)}</code></td></tr>\n`)}</tbody></table>`;
  const summary = (Object.keys(d.summary) as (keyof typeof d.summary)[]).map((k) => html`<tr><td>${badge(k, CONTROL_STATUS[k][lang])}</td><td>${d.summary[k]}</td></tr>`);
  return html`<h2 id="deployed">${T.deployedState[lang]}</h2>
<section class="deployed-state" data-deployed-passed="${String(d.passed)}">
<p>${T.deployedIntro[lang]}</p>
<p>${T.evidenceSource[lang]}: <code>${d.source}</code> · ${T.deployedVerdict[lang]}: ${badge(d.passed ? 'passed' : 'failed', d.passed ? T.passed[lang] : T.failed[lang])}</p>
${diffs}
${d.controlsDiffering.length === 0 ? html`` : html`<p data-controls-differing="${d.controlsDiffering.join(' ')}"><strong>${T.controlsDiffering[lang]}:</strong> ${d.controlsDiffering.map((id) => html`<a href="#control-${id}">${id}</a> `)}</p>`}
<table><tbody>${summary}</tbody></table>
</section>`;
}

export function tenantHtml(r: TenantReport, lang: Lang): string {
  const other: Lang = lang === 'en' ? 'ja' : 'en';
  const scope = r.scope.inScope
    ? html`<div class="banner in" data-scope="in">${T.inScope[lang]}</div>`
    : html`<div class="banner out" data-scope="out"><strong>${T.outOfScope[lang]}</strong><br>${T.reasons[lang]}: ${r.scope.reasons.map((x) => say(lang, x)).join('; ')}</div>`;
  const summary = (Object.keys(r.summary) as (keyof typeof r.summary)[]).map((k) => html`<tr><td>${badge(k, CONTROL_STATUS[k][lang])}</td><td>${r.summary[k]}</td></tr>`);
  const body = html`<h1>${T.title[lang]}: ${r.tenant}</h1>
<nav class="links"><a href="report.${other}.html">${T.otherLanguage[lang]}</a> · <a href="../index.${lang}.html">${T.fleetTitle[lang]}</a></nav>
<p class="meta">${T.service[lang]}<br>${T.tenant[lang]}: ${r.tenant} · ${T.contractStatus[lang]}: ${contractStatus(r.contractStatus, lang)} · ${T.verdict[lang]}: <span data-verdict="${r.verdict}">${badge(r.verdict, VERDICT[r.verdict][lang])}</span></p>
${provenanceBlock(lang, r.provenance)}
${contents(lang, r)}
<h2 id="scope">${T.scope[lang]}</h2>
${scope}
<h2 id="responsibility">${T.responsibility[lang]}</h2>
<table><thead><tr><th>${T.customer[lang]}</th><th>${T.provider[lang]}</th></tr></thead>
<tbody><tr><td><ul>${r.responsibilitySplit.customer.map((x) => html`<li>${x[lang]}</li>`)}</ul></td><td><ul>${r.responsibilitySplit.provider.map((x) => html`<li>${x[lang]}</li>`)}</ul></td></tr></tbody></table>
<h2 id="summary">${T.summary[lang]}</h2>
<table><tbody>${summary}</tbody></table>
${deployedBlock(lang, r)}
<h2 id="suppressions">${T.suppressions[lang]}</h2>
${r.suppressions.length === 0 ? html`<p>${T.noSuppressions[lang]}</p>` : suppressionTable(lang, r.suppressions)}
${r.unusedSuppressions.length === 0 ? html`` : html`<h3>${T.unused[lang]}</h3>${suppressionTable(lang, r.unusedSuppressions)}`}
<h2 id="controls">${T.controls[lang]}</h2>
${r.controls.map((c) => controlBlock(lang, c))}`;
  return page(lang, `${T.title[lang]}: ${r.tenant}`, body);
}
