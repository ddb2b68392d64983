/**
 * One measurement of the failing-rows export bench (failingRowsExport.bench.ts), in a process of
 * its own: `node --expose-gc --import tsx failingRowsExportChild.ts <extract.csv> <out> stream|string`
 * validates the extract (every row fails two checks), then exports every failing row as CSV and
 * prints `{ "rows", "lines", "bytes", "heapBeforeBytes", "heapPeakBytes", "exportMs" }`.
 *
 * A full garbage collection runs after every batch, so the peak is what the export keeps alive,
 * not garbage V8 had not collected yet.
 * - `stream`: what the CLI's `--failing-rows` does (src/cli/failingRowsFile.ts) — each batch
 *   written to a file stream, drained, before the next is made;
 * - `string`: the baseline a naive export would be — every batch joined into one string.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { openFilesForReading } from '../../src/cli/openFiles.ts';
import { compileColumnContract, compilePlan } from '../../src/core/contract/index.ts';
import {
  buildReport,
  detectLayout,
  failingRowBatches,
  validateCsv,
} from '../../src/core/validation/index.ts';

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const heap = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

export const CONTRACT = {
  type: 'object',
  properties: {
    id: { type: 'string', pattern: '^P\\d+$' },
    name: { type: 'string', pattern: '^[A-Z][a-z]+$' },
    birth_date: { type: 'string', format: 'date' },
  },
};

async function main(): Promise<void> {
  const [file, out, mode] = process.argv.slice(2) as [string, string, 'stream' | 'string'];
  const opened = await openFilesForReading([file], process.cwd(), (m) => new Error(m));
  const source = opened.files[0];
  if (!source) throw new Error('no file');
  const compiled = compileColumnContract(CONTRACT);
  if (!compiled.ok) throw new Error('contract');
  const result = await validateCsv(source, {
    layout: await detectLayout(source),
    plan: compilePlan(CONTRACT),
    fullValidator: compiled.validate,
  });
  const report = buildReport([result], {
    generatedAt: new Date().toISOString(),
    startedAt: new Date().toISOString(),
    totalMs: 0,
    toolVersion: 'bench',
  });
  gc();
  const heapBefore = heap();
  let peak = heapBefore;
  const started = performance.now();
  let lines = 0;
  const inputs = [
    {
      source,
      layout: result.layout,
      header: result.header,
      rows: result.failingRows.rows,
      offsets: result.failingRows.offsets,
      count: result.failingRows.count,
      groups: result.issueRows.groups,
    },
  ];
  const batches = failingRowBatches(inputs, { format: 'csv', report });
  if (mode === 'stream') {
    // as src/cli/failingRowsFile.ts writes: each batch into the stream, drained before the next
    const stream = createWriteStream(out);
    for await (const batch of batches) {
      if (!stream.write(batch)) await once(stream, 'drain');
      gc();
      peak = Math.max(peak, heap());
    }
    stream.end();
    await once(stream, 'finish');
  } else {
    let all = '';
    for await (const batch of batches) {
      all += batch;
      gc();
      peak = Math.max(peak, heap());
    }
    await writeFile(out, all);
  }
  const exportMs = performance.now() - started;
  const bytes = (await stat(out)).size;
  const text = await readFile(out, 'utf8');
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
  await opened.close();
  process.stdout.write(
    `${JSON.stringify({ rows: result.failingRows.count, lines, bytes, heapBeforeBytes: heapBefore, heapPeakBytes: peak, exportMs })}\n`,
  );
}

await main();
