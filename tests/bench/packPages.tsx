/**
 * How many pages the demo clinic's evidence pack prints to: the pack of
 * `samples/projects/demo-clinic.preflight.json` rendered by the app's own `EvidencePackView` with
 * the app's style sheets, printed to A4 PDF by Debian's Chromium and counted by poppler's
 * `pdfinfo`. A measurement, not a test: `npx tsx tests/bench/packPages.tsx [out.pdf]` prints the
 * count (the pack should stay at 10 pages or fewer for the demo).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { renderToStaticMarkup } from 'react-dom/server';
import { EvidencePackView } from '../../src/app/readiness/EvidencePackView.tsx';
import { assessReadiness, evidencePack } from '../../src/core/readiness/index.ts';
import { parseProjectFile } from '../../src/formats/project.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium.ts';

const root = resolve(import.meta.dirname, '../..');
const parsed = parseProjectFile(
  readFileSync(join(root, 'samples/projects/demo-clinic.preflight.json'), 'utf8'),
);
if (!parsed.ok) throw new Error('the demo project file does not load');
const project = parsed.value.project;
const pack = evidencePack(project, assessReadiness(project, { today: '2024-07-08' }), '2024-07-08T09:00:00Z');
const css = ['src/app/styles.css', 'src/app/readiness/readiness.css']
  .map((f) => readFileSync(join(root, f), 'utf8'))
  .join('\n');
const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><style>${css}</style></head><body><main>${renderToStaticMarkup(<EvidencePackView pack={pack} />)}</main></body></html>`;
const dir = mkdtempSync(join(tmpdir(), 'preflight-pack-'));
try {
  writeFileSync(join(dir, 'pack.html'), html);
  const pdf = resolve(process.argv[2] ?? join(dir, 'pack.pdf'));
  execFileSync(
    CHROMIUM_PATH,
    [...CHROMIUM_ARGS, '--no-pdf-header-footer', `--print-to-pdf=${pdf}`, `file://${join(dir, 'pack.html')}`],
    { stdio: 'ignore' },
  );
  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
  process.stdout.write(
    `evidence pack of the demo clinic: ${pages} pages (A4)${process.argv[2] ? `, ${pdf}` : ''}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
