/**
 * A YAML file parsed with positions kept, so every later check can point at the line and
 * column of the field it judges.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { fieldName, type Problem, type ProblemCode } from './problems';

export type FieldPath = readonly (string | number)[];

export class SourceFile {
  /** Parses text; returns the file or the problems that prevent reading it. */
  public static parse(file: string, text: string): SourceFile | Problem[] {
    const lineCounter = new LineCounter();
    // YAML 1.2 core schema: dates stay strings, no custom tags; aliases are capped against expansion attacks.
    const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, schema: 'core', strict: true });
    const problems: Problem[] = [];
    for (const err of [...doc.errors, ...doc.warnings]) {
      const pos = lineCounter.linePos(err.pos[0]);
      problems.push({ code: 'RAS001', file, line: pos.line, column: pos.col, field: '', message: err.message.split('\n')[0] });
    }
    if (problems.length > 0) return problems;
    let data: unknown;
    try {
      data = doc.toJS({ maxAliasCount: 50 });
    } catch (e) {
      return [{ code: 'RAS001', file, line: 1, column: 1, field: '', message: (e as Error).message }];
    }
    return new SourceFile(file, text, data, { root: doc.contents, lines: lineCounter });
  }

  /**
   * A file whose data is already known (from the parse cache for this exact text). Positions are
   * computed by parsing again only if a problem has to be located.
   */
  public static fromParsed(file: string, text: string, data: unknown): SourceFile {
    return new SourceFile(file, text, data, undefined);
  }

  private constructor(
    public readonly file: string,
    private readonly text: string,
    public readonly data: unknown,
    private located: { readonly root: Node | null; readonly lines: LineCounter } | undefined,
  ) {}

  private locate(): { readonly root: Node | null; readonly lines: LineCounter } {
    if (this.located === undefined) {
      const lines = new LineCounter();
      this.located = { root: parseDocument(this.text, { lineCounter: lines, uniqueKeys: true, schema: 'core' }).contents, lines };
    }
    return this.located;
  }

  /** Line and column of the value at `path`, or of its nearest existing ancestor (1-based). */
  public position(path: FieldPath): { line: number; column: number } {
    const { root, lines } = this.locate();
    let node: unknown = root;
    let offset = 0;
    for (const seg of path) {
      const range = rangeOf(node);
      if (range !== undefined) offset = range;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        if (pair === undefined) break;
        if (pair.value === null || pair.value === undefined) {
          node = pair.key;
          break;
        }
        node = pair.value;
      } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
        node = node.items[seg];
      } else {
        break;
      }
    }
    const range = rangeOf(node);
    if (range !== undefined) offset = range;
    const pos = lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  }

  /** A problem located at `path`. */
  public problem(code: ProblemCode, path: FieldPath, message: string): Problem {
    return { code, file: this.file, ...this.position(path), field: fieldName(path), message };
  }
}

function rangeOf(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range?.[0];
}
