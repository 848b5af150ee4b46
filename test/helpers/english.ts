/** English left in a Japanese page: what the Japanese report tests look for. */

/** A plain English word: a letter, then lower-case letters (acronyms and identifiers do not count). */
const WORD = /^[A-Za-z][a-z]+$/;

/**
 * Runs of three or more plain English words in a line of text (punctuation around a word ignored).
 * A run whose words all end in a comma but the last ("sshd, sudo, su") is a list of names, a value,
 * not a sentence.
 */
export function englishSentences(text: string): string[] {
  const found: string[] = [];
  for (const line of text.split(/[\n\t]/)) {
    let run: string[] = [];
    let list = true;
    const flush = (): void => {
      if (run.length >= 3 && !list) found.push(run.join(' '));
      run = [];
      list = true;
    };
    for (const token of line.split(/\s+/)) {
      const word = token.replace(/^[("'“]+|[)"'”,.;:!?]+$/g, '');
      if (WORD.test(word) && token.length - word.length <= 2) {
        if (run.length > 0 && !run[run.length - 1].endsWith(',')) list = false;
        run.push(token.endsWith(',') ? `${word},` : word);
      } else flush();
    }
    flush();
  }
  return found.map((s) => s.replace(/,/g, ''));
}
