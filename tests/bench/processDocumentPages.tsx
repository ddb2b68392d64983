/**
 * How many pages the demo's largest process document prints to: the printable document of the
 * demo's patient intake (today and planned), (`samples/projects/demo-clinic.preflight.json`) rendered by the app's own `ProcessDocument` with the
 * app's style sheets, printed to A4 PDF by Debian's Chromium through Playwright (print media, the
 * document's own landscape map pages honoured: `preferCSSPageSize`) and counted by poppler's
 * `pdfinfo`. A measurement, not a test: `npx tsx tests/bench/processDocumentPages.tsx [out.pdf] [Letter]`
 * prints the count (the document should stay at 12 pages or fewer).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium.ts';

// the components import their style sheets (Vite's job); here each is an empty module and the
// sheets are put in the page below
register(
  `data:text/javascript,${encodeURIComponent(
    'export async function load(url, context, next) { return url.endsWith(".css") ? { format: "module", source: "", shortCircuit: true } : next(url, context); }',
  )}`,
);

const root = resolve(import.meta.dirname, '../..');
process.chdir(root);
const [{ renderToStaticMarkup }, { ProcessDocument }, { parseProjectFile }] = await Promise.all([
  import('react-dom/server'),
  import('../../src/app/workflows/document/ProcessDocument.tsx'),
  import('../../src/formats/project.ts'),
]);
const parsed = parseProjectFile(
  readFileSync(join(root, 'samples/projects/demo-clinic.preflight.json'), 'utf8'),
);
if (!parsed.ok) throw new Error('the demo project file does not load');

const PROCESS = 'patient-intake';
/** The paper the portrait pages print on (the maps' landscape pages turn it): A4 unless `Letter` is asked for. */
const FORMAT = process.argv[3] === 'Letter' ? 'Letter' : 'A4';
// every style sheet of the app, as Vite bundles them all into the one page
const sheets = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sheets(join(dir, e.name)) : e.name.endsWith('.css') ? [join(dir, e.name)] : [],
  );
const css = sheets(join(root, 'src/app'))
  .sort()
  .map((f) => readFileSync(f, 'utf8'))
  .join('\n');
const body = renderToStaticMarkup(<ProcessDocument project={parsed.value.project} process={PROCESS} />);
const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><style>${css}</style></head><body><main>${body}</main></body></html>`;
const dir = mkdtempSync(join(tmpdir(), 'preflight-document-'));
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
try {
  writeFileSync(join(dir, 'document.html'), html);
  const page = await browser.newPage();
  await page.goto(`file://${join(dir, 'document.html')}`);
  await page.emulateMedia({ media: 'print' });
  const pdf = resolve(process.argv[2] || join(dir, 'document.pdf'));
  await page.pdf({ path: pdf, format: FORMAT, preferCSSPageSize: true });
  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
  process.stdout.write(
    `process document of the demo's ${PROCESS}: ${pages} pages (${FORMAT})${process.argv[2] ? `, ${pdf}` : ''}\n`,
  );
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
