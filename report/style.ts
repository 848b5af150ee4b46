/** The reports' only stylesheet, inlined into every page (no external resources, prints cleanly to PDF). */
export const STYLE = `
:root { --ok: #1b6e2d; --bad: #a4161a; --na: #555; --proc: #1d4e89; }
body { font-family: "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", sans-serif; margin: 2rem; color: #111; line-height: 1.45; }
h1 { font-size: 1.5rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
code { font-family: "Noto Sans Mono CJK JP", monospace; font-size: 0.85em; word-break: break-all; }
.status { font-weight: bold; white-space: nowrap; }
.compliant { color: var(--ok); } .non_compliant { color: var(--bad); } .not_applicable { color: var(--na); }
.procedural { color: var(--proc); } .suppressed { color: #8a5a00; }
.compliant_by_exception { color: #8a5a00; } .passed { color: var(--ok); } .failed { color: var(--bad); } .information_only { color: var(--na); }
/* An out-of-scope tenant's column: grey and hatched, its statuses grey, never the in-scope green. */
th.out-of-scope, td.out-of-scope, .swatch.out-of-scope { background: repeating-linear-gradient(45deg, #eeeeee, #eeeeee 6px, #f8f8f8 6px, #f8f8f8 12px); }
.status.info { color: var(--na); font-weight: normal; font-style: italic; }
.swatch { display: inline-block; width: 1.2em; height: 1em; border: 1px solid #ccc; vertical-align: middle; }
.provenance table { font-size: 0.8rem; } .provenance th { width: 12em; white-space: nowrap; } .provenance h2 { margin-top: 0.5rem; }
.exception { border: 2px solid #8a5a00; } .exception caption { text-align: left; font-weight: bold; color: #8a5a00; }
.resolved { font-size: 0.8rem; color: #444; } .resolved ul { margin: 0.1rem 0 0.1rem 1rem; padding: 0; }
q.verbatim { font-style: italic; }
/* The deployed state beside the intent: a status that differs is flagged, never blended in. */
.deployed { font-size: 0.85rem; font-weight: normal; } .deployed.differs, .drift-flag { color: var(--bad); }
.deployed-rules { border-left: 3px solid var(--bad); padding-left: 0.5rem; } table.differences caption { text-align: left; font-weight: bold; }
.toc ol { margin: 0.2rem 0; } .controls-toc { font-size: 0.85rem; columns: 2; }
.banner { padding: 0.6rem 1rem; border: 2px solid var(--bad); background: #fff4f4; margin: 1rem 0; }
.banner.in { border-color: var(--ok); background: #f3fbf4; }
.control { border: 1px solid #ddd; margin: 0.8rem 0; padding: 0.5rem 0.8rem; page-break-inside: avoid; }
.control h3 { font-size: 1rem; margin: 0.2rem 0; }
.meta { color: #444; font-size: 0.85rem; }
.rule { margin: 0.5rem 0 0.5rem 1rem; }
nav { margin: 0.5rem 0; font-size: 0.9rem; }
@media print { body { margin: 1cm; } nav.links { display: none; } .toc { page-break-after: always; } }
`;
