/** The fleet page as HTML: the overview and its pages of tenants (report/fleet-pages.ts). */
import type { FleetReport } from './document';
import { html, type Html } from './escape';
import { badge, PAGE_CLOSE, pageOpen, provenanceBlock, suppressionTable } from './html';
import { CONTROL_STATUS, contractStatus, T, VERDICT, type Lang } from './i18n';
import { say } from './ja';
import { controlCounts, type FleetPage, fleetPageFile, fleetPages, pageCounts, pageProvenance, STATUSES } from './fleet-pages';

const otherLang = (lang: Lang): Lang => (lang === 'en' ? 'ja' : 'en');

/** A page's tenants as "first – last". */
function range(f: FleetReport, p: FleetPage): string {
  return p.end === p.start ? '' : `${f.tenants[p.start].tenant} – ${f.tenants[p.end - 1].tenant}`;
}

/** The overview: each control's statuses counted over the fleet, then the pages of tenants. */
export function fleetIndexHtml(f: FleetReport, lang: Lang): string {
  const pages = fleetPages(f.tenants.length);
  const counts = controlCounts(f);
  const all = pageCounts(f);
  const deployed = counts.some((c) => c.deployedDiffers !== undefined);
  const drift = all.drift !== undefined;
  const inScope = all.verdicts.passed + all.verdicts.failed;
  const controlRows = f.controls.map(
    (c, k) =>
      html`<tr data-control="${c.id}"><td>${c.id}</td><td>${c.section} ${c.title[lang]}</td>${STATUSES.map((s) => html`<td data-status="${s}">${counts[k].inScope[s]}</td>`)}${
        deployed ? html`<td data-deployed-differs>${counts[k].deployedDiffers ?? 0}</td>` : html``
      }</tr>\n`,
  );
  const pageRows = pages.map((p) => {
    const n = pageCounts(f, p);
    return html`<tr data-page="${p.index + 1}"><td><a href="${fleetPageFile(p.index, lang, 'html')}">${T.page[lang]} ${p.index + 1}</a></td><td>${range(f, p)}</td><td>${p.end - p.start}</td>${(['passed', 'failed', 'information_only'] as const).map(
      (v) => html`<td data-verdict="${v}">${n.verdicts[v]}</td>`,
    )}${drift ? html`<td data-drift="${n.drift ?? 0}">${n.drift ?? 0}</td>` : html``}</tr>\n`;
  });
  const body = html`<h1>${T.fleetTitle[lang]}</h1>
<nav class="links"><a href="index.${otherLang(lang)}.html">${T.otherLanguage[lang]}</a></nav>
<p class="meta">${T.service[lang]}</p>
${provenanceBlock(lang, f.provenance)}
<h2>${T.fleetCounts[lang]}</h2>
<p class="meta" data-tenants="${f.tenants.length}" data-in-scope="${inScope}">${T.tenants[lang]}: ${f.tenants.length}; ${T.inScopeShort[lang]}: ${inScope} (${VERDICT.passed[lang]}: ${all.verdicts.passed}, ${VERDICT.failed[lang]}: ${all.verdicts.failed}); ${T.outOfScopeShort[lang]}: ${all.verdicts.information_only}${lang === 'ja' ? '。' : '. '}${T.notCounted[lang]}</p>
<table class="fleet-counts"><thead><tr><th>${T.control[lang]}</th><th>${T.titleCol[lang]}</th>${STATUSES.map((s) => html`<th>${CONTROL_STATUS[s][lang]}</th>`)}${
    deployed ? html`<th>${T.deployedDiffersCount[lang]}</th>` : html``
  }</tr></thead><tbody>
${controlRows}</tbody></table>
<h2>${T.fleetPages[lang]}</h2>
<table class="fleet-pages"><thead><tr><th>${T.page[lang]}</th><th>${T.tenantRange[lang]}</th><th>${T.tenants[lang]}</th>${(['passed', 'failed', 'information_only'] as const).map(
    (v) => html`<th>${VERDICT[v][lang]}</th>`,
  )}${drift ? html`<th>${T.driftCount[lang]}</th>` : html``}</tr></thead><tbody>
${pageRows}</tbody></table>
<h2>${T.suppressions[lang]}</h2>
${f.suppressions.length === 0 ? html`<p>${T.noSuppressionsFleet[lang]}</p>` : suppressionTable(lang, f.suppressions)}
${f.unusedSuppressions.length === 0 ? html`` : html`<h3>${T.unused[lang]}</h3>${suppressionTable(lang, f.unusedSuppressions)}`}`;
  return `${pageOpen(lang, T.fleetTitle[lang])}${body.text}${PAGE_CLOSE}`;
}

function pageNav(lang: Lang, p: FleetPage): Html {
  const link = (index: number, text: string) => html` · <a href="${fleetPageFile(index, lang, 'html')}" rel="${index < p.index ? 'prev' : 'next'}">${text}</a>`;
  return html`<nav class="links"><a href="${fleetPageFile(p.index, otherLang(lang), 'html')}">${T.otherLanguage[lang]}</a> · <a href="index.${lang}.html">${T.fleetTitle[lang]}</a>${
    p.index > 0 ? link(p.index - 1, T.previousPage[lang]) : html``
  }${p.index + 1 < p.count ? link(p.index + 1, T.nextPage[lang]) : html``}</nav>`;
}

/**
 * One page of the fleet page: the controls x tenants grid of its tenants, as parts written one
 * after another (report/write.ts).
 */
export function fleetPageHtml(f: FleetReport, p: FleetPage, lang: Lang): string[] {
  const tenants = f.tenants.slice(p.start, p.end);
  // An out-of-scope tenant's column is set apart (class out-of-scope): its results are information only.
  const column = (inScope: boolean): string => (inScope ? 'in-scope' : 'out-of-scope');
  const head = tenants.map(
    (t) =>
      html`<th class="${column(t.inScope)}" data-tenant="${t.tenant}" data-verdict="${t.verdict}"><a href="${encodeURIComponent(t.tenant)}/report.${lang}.html">${t.tenant}</a><br><span class="meta">${contractStatus(t.contractStatus, lang)}; ${t.inScope ? T.inScopeShort[lang] : T.outOfScopeShort[lang]}</span><br>${badge(t.verdict, VERDICT[t.verdict][lang])}${
        t.inScope ? html`` : html`<br><span class="meta scope-reason">${T.reasons[lang]}: ${t.scopeReasons.map((x) => say(lang, x)).join('; ')}</span>`
      }${
        t.deployed === undefined
          ? html``
          : html`<br><span class="meta deployed${t.deployed.differences > 0 || !t.deployed.passed ? ' differs' : ''}" data-drift="${t.deployed.differences}">${T.driftCount[lang]}: ${t.deployed.differences}; ${T.deployedVerdict[lang]}: ${t.deployed.passed ? T.passed[lang] : T.failed[lang]}</span>`
      }</th>`,
  );
  // Each tenant's cell opening is escaped once and each kind of badge made once, not per cell.
  const opening = tenants.map((t) => html`<td class="${column(t.inScope)}" data-tenant="${t.tenant}">`.text);
  const badges = new Map<string, string>();
  const badgeOnce = (kind: string, text: string): string => {
    const key = `${kind}\0${text}`;
    let made = badges.get(key);
    if (made === undefined) badges.set(key, (made = badge(kind, text).text));
    return made;
  };
  const rows = f.controls.map((c, k) => {
    const cells = tenants.map((t, i) => {
      const s = f.grid[k][p.start + i];
      const d = f.deployedGrid?.[k][p.start + i];
      const deployed =
        d === undefined || d === s
          ? ''
          : html`<br><span class="deployed differs" data-deployed-status="${d}">${T.deployedShort[lang]}: ${badge(t.inScope ? d : `${d} info`, CONTROL_STATUS[d][lang])} ⚠</span>`.text;
      return `${opening[i]}${badgeOnce(t.inScope ? s : `${s} info`, CONTROL_STATUS[s][lang])}${deployed}</td>`;
    });
    return `${html`<tr data-control="${c.id}"><td>${c.id}</td><td>${c.section} ${c.title[lang]}</td>`.text}${cells.join('')}</tr>\n`;
  });
  const title = `${T.fleetTitle[lang]}: ${T.page[lang]} ${p.index + 1} / ${p.count}`;
  const before = html`<h1>${title}</h1>
${pageNav(lang, p)}
<p class="meta">${T.service[lang]}</p>
${provenanceBlock(lang, pageProvenance(f, p))}
${tenants.some((t) => !t.inScope) ? html`<p class="meta out-of-scope-legend"><span class="swatch out-of-scope"></span> ${T.informationOnlyNote[lang]}</p>` : html``}
<table class="fleet"><thead><tr><th>${T.control[lang]}</th><th>${T.titleCol[lang]}</th>${head}</tr></thead><tbody>
`;
  return [`${pageOpen(lang, title)}${before.text}`, ...rows, `</tbody></table>${PAGE_CLOSE}`];
}
