/**
 * Contract strings (customer names, labels, operator ids...) reach the reports, so nothing is
 * interpolated into HTML or Markdown unescaped: `html` escapes every value unless it is already
 * rendered HTML (`Html`), and `md` escapes Markdown's active characters.
 */

export class Html {
  constructor(public readonly text: string) {}
  public toString(): string {
    return this.text;
  }
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

const HTML_ACTIVE = /[&<>"']/;

export function escapeHtml(text: string): string {
  // Most values (addresses, ids, numbers) need no escaping: skip the replace for them.
  return HTML_ACTIVE.test(text) ? text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]) : text;
}

function piece(value: unknown): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(piece).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(String(value));
}

/** Template tag: static markup as written, every interpolated value escaped (arrays joined). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  return new Html(strings.reduce((out, s, i) => out + s + (i < values.length ? piece(values[i]) : ''), ''));
}

/** Text for a Markdown table cell or paragraph: active characters backslash-escaped, HTML neutralised, one line. */
const MD_ACTIVE = /\r?\n|[&<>\\`*_{}[\]()#+!|~]/g;
const MD_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

export function md(text: string): string {
  // One pass over the text (reports call this for every cell of 42 controls per tenant).
  return text.replace(MD_ACTIVE, (c) => (c.endsWith('\n') ? ' ' : (MD_ENTITIES[c] ?? `\\${c}`)));
}
