/**
 * Debian's headless Chromium driven by playwright-core, and Debian's pdftotext, for the tests
 * that read the reports as an auditor does. A missing browser or pdftotext fails the test: the
 * report is only proven readable where it was rendered.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = process.env.RAS_CHROMIUM ?? '/usr/bin/chromium';
export const PDFTOTEXT = '/usr/bin/pdftotext';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A browser with a throw-away profile; `close()` removes both. */
export async function launchChromium(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (scripts/debian-packages.txt) or set RAS_CHROMIUM`);
  if (!existsSync(PDFTOTEXT)) throw new Error(`pdftotext not found at ${PDFTOTEXT}: install Debian's poppler-utils (scripts/debian-packages.txt)`);
  const profile = mkdtempSync(join(tmpdir(), 'ras-chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The text of a PDF file as pdftotext reads it (reading order, UTF-8); `layout` keeps each page's lines, pages split by form feeds. */
export function pdfTextOf(file: string, layout = false): string {
  return execFileSync(PDFTOTEXT, ['-enc', 'UTF-8', ...(layout ? ['-layout'] : []), file, '-'], { encoding: 'utf8' });
}

/** What a reader sees of a page, quoted values (contract text, reasons: `q.verbatim`) taken out. */
export async function visibleText(context: BrowserContext, file: string): Promise<string> {
  const page = await context.newPage();
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  const text = await page.evaluate(() => {
    for (const q of Array.from(document.querySelectorAll('q.verbatim'))) q.remove();
    return document.body.innerText;
  });
  await page.close();
  return text;
}
