/**
 * The demo clinic's chart-stack log and what it measures:
 *
 * - `logs/prescription-refill.chart-stack.csv`: two working weeks (Mon 5 – Fri 16 January 2026,
 *   08:00–17:00 UTC) of refill requests in the current workflow, as the old system logs them
 *   (start and complete of each activity, the person and their role). The medical assistants
 *   clip each request to its paper chart and put the chart on the physician's stack; the
 *   physician takes the stack when it holds 4 to 6 charts and initials them one after the other,
 *   and clears what is left at 16:45. Requests come in every 15–30 minutes until 16:30, so a
 *   chart waits for the stack to fill.
 * - `observed.waitCauses` on the steps of `workflows/prescription-refill.current.json` whose
 *   labels are the log's activities: the waiting split by cause (`withWaitCauses`), so the
 *   demo's future refill workflow — which keeps the medical assistant → physician hand-off in
 *   the in-basket — shows the chart stack's batching as a `kept-handoff-wait` finding.
 *
 * Constraints: seeded (mulberry32), no clock, no `Math.random`; the CSV is byte-identical on
 * every run; `generateChartStack.test.ts` regenerates both and compares.
 * Regenerate: `npx tsx samples/tools/generateChartStack.ts`, then `npm run samples:project`
 * and `npx tsx samples/tools/generateExports.ts` (the demo project carries the workflow).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { previewLog, readCsvLogText } from '../../src/core/workflow/eventlog/index.ts';
import { mulberry32 } from '../../src/core/workflow/index.ts';
import { analyzeWaits, withWaitCauses } from '../../src/core/workflow/waits/index.ts';
import { loadWorkflow, type Workflow } from '../../src/formats/workflow.ts';

const SAMPLES = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CHART_STACK_LOG = 'logs/prescription-refill.chart-stack.csv';
export const REFILL_CURRENT = 'workflows/prescription-refill.current.json';

const SEED = 0x5eed57ac;
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
/** Monday 5 January 2026, 00:00 UTC. */
const FIRST_DAY = Date.UTC(2026, 0, 5);
const WEEKS = 2;
const OPEN = 8;
const CLOSE = 17;
/** Requests are taken until 16:30; the physician clears the stack at 16:45. */
const LAST_REQUEST_HOURS = 8.5;
const SWEEP_HOURS = 8.75;

/** The current workflow's activities, as its steps are labelled. */
const A = {
  slip: 'Write the request on a paper message slip',
  pull: 'Pull the paper chart and clip the slip to it',
  check: 'Seen in the last 12 months, labs current?',
  approve: 'Approve and initial the refill in the chart stack',
  pharmacy: 'Phone the prescription to the pharmacy',
  callBack: 'Call the patient back',
  note: 'Write the refill in the paper medication list',
  book: 'Phone the patient to book a visit first',
  refile: 'Refile the paper chart',
} as const;

interface Row {
  case: string;
  activity: string;
  start: number;
  end: number;
  resource: string;
  role: string;
}

/** One person: who, in which role, and when they are next free. */
interface Person {
  name: string;
  role: string;
  free: number;
}

/** The next clinic-open instant at or after `t` (weekdays 08:00–17:00). */
function open(t: number): number {
  for (let at = t; ; ) {
    const day = Math.floor((at - FIRST_DAY) / DAY);
    const hour = (at - FIRST_DAY - day * DAY) / HOUR;
    if (day % 7 < 5 && hour >= OPEN && hour < CLOSE) return at;
    const next = hour < OPEN && day % 7 < 5 ? day : day + 1;
    at = FIRST_DAY + next * DAY + OPEN * HOUR;
  }
}

/** The rows of the log, in time order. */
function rows(): Row[] {
  const random = mulberry32(SEED);
  const between = (low: number, high: number) => low + random() * (high - low);
  const out: Row[] = [];
  const person = (name: string, role: string): Person => ({ name, role, free: 0 });
  const desk = person('Front desk 1', 'Front desk');
  const filing = person('Front desk 2', 'Front desk');
  const charts = person('Medical assistant 1', 'Medical assistant');
  const calls = person('Medical assistant 2', 'Medical assistant');
  const physician = person('Physician 1', 'Physician');
  /** `who` does `activity` for `id` from `ready` (or when next free, within opening hours) */
  const work = (id: string, activity: string, who: Person, ready: number, minutes: number): number => {
    const start = open(Math.max(ready, who.free));
    const end = start + minutes * MIN;
    who.free = end;
    out.push({ case: id, activity, start, end, resource: who.name, role: who.role });
    return end;
  };
  let stack: Array<[string, number]> = [];
  let size = 4 + Math.floor(random() * 3);
  /** the physician takes the stack from `at` and initials each chart in turn; the assistant follows up */
  const release = (at: number) => {
    let t = at;
    for (const [id] of stack) {
      t = work(id, A.approve, physician, t, between(2, 4));
      let next = work(id, A.pharmacy, calls, t + between(0, 10) * MIN, between(3, 6));
      next = work(id, A.callBack, calls, next + between(0, 3) * MIN, between(2, 4));
      next = work(id, A.note, calls, next, between(1, 2));
      work(id, A.refile, filing, next + between(10, 40) * MIN, between(1, 2));
    }
    stack = [];
    size = 4 + Math.floor(random() * 3);
  };
  let k = 0;
  for (let day = 0; day < WEEKS * 7; day++) {
    if (day % 7 >= 5) continue;
    const morning = FIRST_DAY + day * DAY + OPEN * HOUR;
    for (
      let t = morning + between(5, 20) * MIN;
      t < morning + LAST_REQUEST_HOURS * HOUR;
      t += between(15, 30) * MIN
    ) {
      const id = `R${String(++k).padStart(4, '0')}`;
      let done = work(id, A.slip, desk, t, between(2, 4));
      done = work(id, A.pull, charts, done + between(5, 20) * MIN, between(3, 6));
      done = work(id, A.check, charts, done, between(1, 2));
      if (random() < 0.15) {
        done = work(id, A.book, desk, done + between(5, 30) * MIN, between(3, 6));
        work(id, A.refile, filing, done + between(5, 20) * MIN, between(1, 2));
        continue;
      }
      stack.push([id, done]);
      // the stack is full: the physician takes it as the last chart lands
      if (stack.length >= size) release(done + between(1, 3) * MIN);
    }
    // before leaving, the physician clears what is left on the stack
    if (stack.length > 0) release(morning + SWEEP_HOURS * HOUR);
  }
  return out.sort((a, b) => a.start - b.start || (a.case < b.case ? -1 : a.case > b.case ? 1 : 0));
}

/** The log as the old system writes it: a start and a complete event per activity. */
export function chartStackCsv(): string {
  const iso = (ms: number) => new Date(Math.round(ms)).toISOString();
  // an activity name with a comma ("Seen in the last 12 months, labs current?") is quoted
  const cell = (text: string) => (/[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  const events: Array<[number, string]> = [];
  for (const r of rows()) {
    events.push([r.start, [r.case, cell(r.activity), 'start', iso(r.start), r.resource, r.role].join(',')]);
    events.push([r.end, [r.case, cell(r.activity), 'complete', iso(r.end), r.resource, r.role].join(',')]);
  }
  events.sort((a, b) => a[0] - b[0]);
  return `case,activity,lifecycle,timestamp,resource,role\n${events.map(([, line]) => line).join('\n')}\n`;
}

/** `workflow` with the chart-stack log's split of each step's wait (its columns found as `workflow waits` finds them). */
export function withChartStackWaits(workflow: Workflow, csv: string): Workflow {
  const bytes = new TextEncoder().encode(csv);
  const { proposal } = previewLog(bytes, CHART_STACK_LOG);
  const read = readCsvLogText(csv, { mapping: proposal });
  const errors = read.problems.list().filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new Error(`${CHART_STACK_LOG} does not read: ${errors[0]?.message}`);
  // the steps' earlier measurements, if any, are replaced, never merged with a new log's
  const drawn: Workflow = {
    ...workflow,
    steps: workflow.steps.map(({ observed: _observed, ...step }) => step),
  };
  return withWaitCauses(
    drawn,
    analyzeWaits(read.log, (ms) => ms),
  );
}

/** Both files' text, by path under samples/. */
export function generateChartStack(): Record<string, string> {
  const csv = chartStackCsv();
  const loaded = loadWorkflow(JSON.parse(readFileSync(join(SAMPLES, REFILL_CURRENT), 'utf8')));
  if (!loaded.ok) throw new Error(`${REFILL_CURRENT} does not load`);
  return {
    [CHART_STACK_LOG]: csv,
    [REFILL_CURRENT]: `${JSON.stringify(withChartStackWaits(loaded.value, csv), null, 2)}\n`,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  for (const [name, text] of Object.entries(generateChartStack())) {
    writeFileSync(join(SAMPLES, name), text);
    console.log(`wrote samples/${name}`);
  }
}
