/**
 * Prints report pages to PDF with Debian's Chromium (driven by playwright-core): A4, page
 * numbers in the footer ("3 / 41"), the document outline embedded (the PDF's table of
 * contents, from the headings; the page itself opens with a linked contents list) and the
 * provenance block on the first page, where every page puts it.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export class PdfError extends Error {}

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const FOOTER = '<div style="font-size:8px;width:100%;text-align:center;color:#444"><span class="pageNumber"></span> / <span class="totalPages"></span></div>';

/** Prints each `html` file to its `pdf` file. */
export async function printPdfs(jobs: readonly { readonly html: string; readonly pdf: string }[], chromiumPath = process.env.RAS_CHROMIUM ?? DEFAULT_CHROMIUM): Promise<void> {
  if (!existsSync(chromiumPath)) throw new PdfError(`Chromium not found at ${chromiumPath}: install Debian's chromium (scripts/debian-packages.txt) or set RAS_CHROMIUM`);
  // Loaded only here: no other command pays for the browser driver.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { chromium } = require('playwright-core') as typeof import('playwright-core');
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: FLAGS });
  try {
    const page = await browser.newPage();
    // The pages are self-contained: any request beyond the file itself is refused.
    await page.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
    for (const job of jobs) {
      await page.goto(pathToFileURL(job.html).href, { waitUntil: 'load' });
      await page.pdf({
        path: job.pdf,
        format: 'A4',
        printBackground: true,
        displayHeaderFooter: true,
        headerTemplate: '<span></span>',
        footerTemplate: FOOTER,
        margin: { top: '1cm', bottom: '1.5cm', left: '1cm', right: '1cm' },
        outline: true,
        tagged: true,
      });
    }
  } finally {
    await browser.close();
  }
}
