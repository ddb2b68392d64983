/**
 * One measurement of the event-log memory bench (eventLogMemory.bench.ts), in a process of its
 * own so its peak resident memory (`maxRSS`) is its alone:
 * `node --import tsx eventLogMemoryChild.ts <log.csv> floor|discover` prints
 * `{ "maxRssBytes": …, "events": …, "steps": … }`.
 * - `floor`: the file streamed through the same UTF-8 decoder and CSV record reader, nothing kept
 *   (the memory of any streamed reading: module code, chunk buffers, papaparse);
 * - `discover`: what `preflight workflow discover` does — the log read into an EventLog (the CLI's
 *   reader, src/cli/commands/eventLogInput.ts) and the current workflow discovered.
 */
import { open } from 'node:fs/promises';
import { readLogFile } from '../../src/cli/commands/eventLogInput.ts';
import { createCsvRecordReader } from '../../src/core/migration/csvRecords.ts';
import { createUtf8StreamDecoder } from '../../src/core/migration/utf8Stream.ts';
import { discoverWorkflow } from '../../src/core/workflow/eventlog/discover.ts';
import { createLocalClock } from '../../src/core/workflow/eventlog/timestamps.ts';

const MAPPING = {
  case: 'case',
  activity: 'activity',
  timestamp: 'timestamp',
  lifecycle: 'lifecycle',
  resource: 'resource',
};
const CHUNK = 1024 * 1024;

async function floor(file: string): Promise<{ events: number; steps: number }> {
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
  }
  events += records.push(decoder.end()).length + records.finish().length;
  await handle.close();
  return { events, steps: 0 };
}

async function discover(file: string): Promise<{ events: number; steps: number }> {
  const read = await readLogFile(file, process.cwd(), { mapping: MAPPING });
  const { workflow } = discoverWorkflow(read.log, createLocalClock('UTC'));
  return { events: read.log.events, steps: workflow.steps.length };
}

const [file, mode] = process.argv.slice(2);
if (!file || (mode !== 'floor' && mode !== 'discover')) {
  process.stderr.write('usage: eventLogMemoryChild.ts <log.csv> floor|discover\n');
  process.exit(2);
}
const result = mode === 'floor' ? await floor(file) : await discover(file);
// maxRSS is in kibibytes
process.stdout.write(
  `${JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024, ...result })}\n`,
);
