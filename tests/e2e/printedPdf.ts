/**
 * A page printed to PDF and read back as text, page by page, by Poppler's pdftotext: what a
 * meeting reads on paper, checked in the words printed (the journeys that print the evidence pack).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/** Poppler's text extractor. */
const PDFTOTEXT = ['/usr/bin/pdftotext', '/usr/local/bin/pdftotext'].find((p) => existsSync(p));

/** The text of each page of `pdf`, by pdftotext with its layout (pages end with a form feed). */
export function pdfPages(pdf: Buffer): string[] {
  if (!PDFTOTEXT) throw new Error('pdftotext is not installed: install poppler-utils');
  const dir = mkdtempSync(join(tmpdir(), 'preflight-pdf-'));
  try {
    const file = join(dir, 'printed.pdf');
    writeFileSync(file, pdf);
    return execFileSync(PDFTOTEXT, ['-layout', file, '-'], { encoding: 'utf8' }).split('\f').slice(0, -1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `page` printed on A4 as the browser prints it (print media, backgrounds), back on screen after. */
export async function printedA4(page: Page): Promise<Buffer> {
  await page.emulateMedia({ media: 'print' });
  try {
    return await page.pdf({ format: 'A4', printBackground: true });
  } finally {
    await page.emulateMedia({ media: 'screen' });
  }
}

/** Text with every run of white space as one space, as a reader reads across the layout. */
export const words = (text: string) => text.replace(/\s+/g, ' ').trim();
