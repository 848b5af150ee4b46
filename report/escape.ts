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

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]);
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
export function md(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_{}[\]()#+!|~]/g, '\\$&')
    .replace(/\r?\n/g, ' ');
}
