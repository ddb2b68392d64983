/**
 * One measurement of the event-log memory bench (eventLogMemory.bench.ts), in a process of its
 * own so its peak resident memory is its alone (VmHWM: getrusage's maxRSS keeps the peak of the
 * process that started it across exec):
 * `node --expose-gc --import tsx eventLogMemoryChild.ts <log.csv> floor|discover` prints
 * `{ "maxRssBytes": …, "retainedBytes": …, "events": …, "steps": … }`.
 *
 * A full garbage collection runs after every 1 MiB chunk, so the peak is what the reading keeps
 * alive (plus one chunk's garbage), not how far V8 let garbage pile up before collecting it —
 * which otherwise swamps the difference between keeping 20 and 60 bytes per event.
 * `retainedBytes`: heap + array buffers still used after discovery, with the log kept.
 * - `floor`: the file streamed through the same UTF-8 decoder and CSV record reader, nothing kept
 *   (the memory of any streamed reading: module code, chunk buffers, papaparse);
 * - `discover`: what `preflight workflow discover` does — the log read into an EventLog (the CLI's
 *   reader, src/cli/commands/eventLogInput.ts) and the current workflow discovered.
 */
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createCsvRecordReader, createUtf8StreamDecoder } from '../../src/core/csv/index.ts';
import { createLocalClock, discoverWorkflow, readCsvLog } from '../../src/core/workflow/eventlog/index.ts';

const MAPPING = {
  case: 'case',
  activity: 'activity',
  timestamp: 'timestamp',
  lifecycle: 'lifecycle',
  resource: 'resource',
};
const CHUNK = 1024 * 1024;

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

async function floor(file: string): Promise<{ events: number; steps: number; keep: unknown }> {
  const handle = await open(file, 'r');
  const decoder = createUtf8StreamDecoder(file);
  const records = createCsvRecordReader({ delimiter: ',' });
  const buffer = new Uint8Array(CHUNK);
  let events = 0;
  let offset = 0;
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, CHUNK, offset);
    if (bytesRead === 0) break;
    offset += bytesRead;
    events += records.push(decoder.decode(buffer.subarray(0, bytesRead))).length;
    gc();
  }
  events += records.push(decoder.end()).length + records.finish().length;
  await handle.close();
  return { events, steps: 0, keep: null };
}

/** As the CLI reads a file (src/cli/commands/eventLogInput.ts), with a collection per chunk. */
async function discover(file: string): Promise<{ events: number; steps: number; keep: unknown }> {
  const handle = await open(file, 'r');
  const buffer = new Uint8Array(CHUNK);
  const input = {
    name: file,
    size: (await handle.stat()).size,
    read: async (offset: number, length: number) => {
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead);
    },
  };
  const read = await readCsvLog(input, { mapping: MAPPING }, { chunkBytes: CHUNK, onProgress: () => gc() });
  await handle.close();
  gc();
  const { workflow } = discoverWorkflow(read.log, createLocalClock('UTC'));
  return { events: read.log.events, steps: workflow.steps.length, keep: read.log };
}

const [file, mode] = process.argv.slice(2);
if (!file || (mode !== 'floor' && mode !== 'discover')) {
  process.stderr.write('usage: eventLogMemoryChild.ts <log.csv> floor|discover\n');
  process.exit(2);
}
const { keep, ...result } = mode === 'floor' ? await floor(file) : await discover(file);
gc();
const used = process.memoryUsage();
// the high-water mark is in kibibytes; `keep` holds the log alive until the heap is measured
const highWater = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
process.stdout.write(
  `${JSON.stringify({
    maxRssBytes: Number(highWater?.[1]) * 1024,
    retainedBytes: used.heapUsed + used.arrayBuffers,
    ...result,
    kept: keep !== null,
  })}\n`,
);
