/**
 * `preflight workflow waits <log.csv|log.xes> [--json]`: each activity's waiting time split by
 * cause (batching, prioritization, contention, unavailability, extraneous) with the core's
 * `analyzeWaits`, reading the log as `workflow discover` does (the same column options and the
 * same choice of columns when none is given).
 *
 * stdout carries the table (or the JSON); the reading report goes to stderr. Names from the log
 * are written through the CLI's terminal escaping, one line each.
 * Exit 0 ok; 2 bad usage or a log that cannot be used as read.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { createLocalClock, UnknownTimeZoneError } from '../../core/workflow/eventlog/index.ts';
import {
  type ActivityWaits,
  analyzeWaits,
  WAIT_CAUSES,
  type WaitAnalysis,
  type WaitCause,
} from '../../core/workflow/waits/index.ts';
import {
  type CliIo,
  type Command,
  EXIT_OK,
  EXIT_USAGE,
  type ParsedArgs,
  UsageError,
  writeResult,
} from '../command.ts';
import { oneLineStrings } from '../terminalText.ts';
import {
  isXes,
  LOG_OPTIONS,
  readingReport,
  readLogFile,
  readLogOptions,
  requireUsable,
  UnusableLog,
} from './eventLogInput.ts';

const CAUSE_HEADINGS: Record<WaitCause, string> = {
  batching: 'Batching',
  prioritization: 'Priority',
  contention: 'Busy',
  unavailability: 'Off hours',
  extraneous: 'Other',
};

/** The `preflight workflow waits` command. */
export const workflowWaitsCommand: Command = {
  name: 'workflow waits',
  summary: 'why cases wait: each activity’s waiting time split by cause, from an event log',
  operands: '<log.csv|log.xes>',
  options: [...LOG_OPTIONS, { name: 'json', type: 'boolean', description: 'print the result as JSON' }],
  description: [
    "Splits the waiting time before each activity of an event log (from the end of the case's",
    'previous activity to its start) into five causes, in hours per case: batching (cases held',
    'until a batch was released), prioritization (a case enabled later went first on the same',
    'resource), contention (the resource busy with other cases), unavailability (outside the',
    "resource's working time, found from the log as a weekly calendar) and extraneous (the rest).",
    'Columns are read as by workflow discover; the log needs start and complete times and who did',
    'each activity, or the split cannot see when a resource was busy.',
  ].join('\n'),
  notes: [
    'Exit codes: 0 ok; 2 bad usage, or a log that cannot be used (each problem with its rows).',
    'Method, definitions and the JSON fields: docs/cli.md#preflight-workflow-waits',
  ].join('\n'),
  examples: [
    {
      args: ['samples/logs/prescription-refill.current.csv'],
      does: 'why requests wait in a day of the refill workflow, by activity',
      exits: 0,
    },
  ],
  run: (args: ParsedArgs, io: CliIo) => waits(args, io),
};

async function waits(args: ParsedArgs, io: CliIo): Promise<number> {
  const [file, ...extra] = args.operands;
  if (file === undefined || extra.length > 0) throw new UsageError('give exactly one event log file');
  let clock: ReturnType<typeof createLocalClock>;
  try {
    // a missing file is said as such, not as columns that could not be chosen from it
    await stat(path.resolve(io.cwd, file)).catch((error: NodeJS.ErrnoException) => {
      throw new UnusableLog(
        `cannot read "${file}": ${error.code === 'ENOENT' ? 'no such file' : (error.code ?? 'read error')}.`,
      );
    });
    const options = await readLogOptions(args, io.cwd, isXes(file), file);
    try {
      clock = createLocalClock(options.timeZone ?? 'UTC');
    } catch (error) {
      if (error instanceof UnknownTimeZoneError) throw new UsageError(error.message);
      throw error;
    }
    const result = await readLogFile(file, io.cwd, options);
    for (const line of readingReport(file, result, options)) io.stderr(oneLineStrings(line));
    requireUsable(file, result, args.flag('skip-bad-rows'));
    const analysis = analyzeWaits(result.log, clock);
    if (!analysis.timed) {
      io.stderr(
        'No activity has both a start and a complete time: when a resource was busy is unknown, so no waiting is put down to contention or prioritization. Give --start and --complete, or --timestamp with --lifecycle.',
      );
    }
    if (result.log.resources.length === 0) {
      io.stderr(
        'The log names no resource (give --resource <column>): every wait is put down to extraneous causes.',
      );
    }
    const json = args.flag('json');
    writeResult(
      io,
      json,
      json
        ? `${JSON.stringify({ ...waitsJson(analysis), account: result.account }, null, 2)}\n`
        : waitsTable(analysis),
    );
    return EXIT_OK;
  } catch (error) {
    if (!(error instanceof UnusableLog)) throw error;
    io.stderr(`preflight workflow waits: ${error.message}`);
    return EXIT_USAGE;
  }
}

const round = (value: number, places = 4) => Math.round(value * 10 ** places) / 10 ** places;

function roundedCauses(values: Record<WaitCause, number>): Record<WaitCause, number> {
  return Object.fromEntries(WAIT_CAUSES.map((c) => [c, round(values[c])])) as Record<WaitCause, number>;
}

/**
 * The JSON output: `{"activities": [{"activity", "waitingHours", "causes": {…}}]}` in hours per
 * case, with the shares, the transitions and the evidence; `calendars` per resource.
 */
export function waitsJson(analysis: WaitAnalysis) {
  return {
    activities: analysis.activities.map((a) => ({
      activity: a.activity,
      waitingHours: round(a.waitingHours),
      causes: roundedCauses(a.causes),
      shares: roundedCauses(a.shares),
      cases: a.cases,
      instances: a.instances,
      transitions: a.transitions.map((t) => ({
        from: t.from,
        waitingHours: round(t.waitingHours),
        causes: roundedCauses(t.causes),
        shares: roundedCauses(t.shares),
        cases: t.cases,
        instances: t.instances,
      })),
      batches: { ...a.batches, meanSize: round(a.batches.meanSize, 2) },
      overtaken: a.overtaken,
      overtakingCases: a.overtakingCases,
      resources: a.resources,
    })),
    calendars: analysis.calendars,
    timed: analysis.timed,
  };
}

const hours = (h: number) => (h === 0 ? '0' : h < 0.05 ? '<0.1' : h.toFixed(1));
const percent = (share: number) => `${Math.round(share * 100)} %`;

function row(a: ActivityWaits): string[] {
  return [
    a.activity,
    hours(a.waitingHours),
    ...WAIT_CAUSES.map((c) => (a.causes[c] === 0 ? '–' : `${hours(a.causes[c])} (${percent(a.shares[c])})`)),
  ];
}

/** The table for people: one row per activity that waited, then the evidence. */
export function waitsTable(analysis: WaitAnalysis): string {
  const waited = analysis.activities.filter((a) => a.waitingHours > 0);
  const lines: string[] = [];
  if (waited.length === 0) return 'No activity waited: each started as soon as the one before it ended.\n';
  const header = ['Activity', 'Waiting h/case', ...WAIT_CAUSES.map((c) => CAUSE_HEADINGS[c])];
  const rows = [header, ...waited.map((a) => oneLineStrings(row(a)))];
  const widths = header.map((_, k) => Math.max(...rows.map((r) => [...(r[k] as string)].length)));
  for (const r of rows) {
    lines.push(
      r
        .map((cell, k) => (k === 0 ? cell.padEnd(widths[k] as number) : cell.padStart(widths[k] as number)))
        .join('  ')
        .trimEnd(),
    );
  }
  lines.push('Hours per case (share of the waiting). Busy: the resource was busy with other cases.');
  const still = analysis.activities.length - waited.length;
  if (still > 0)
    lines.push(`${still} more ${still === 1 ? 'activity starts' : 'activities start'} without waiting.`);
  lines.push('', 'Evidence:');
  for (const a of waited) {
    const said: string[] = [];
    const b = a.batches;
    if (b.count > 0) {
      said.push(
        `${b.count} ${b.count === 1 ? 'batch' : 'batches'} of ${b.minSize === b.maxSize ? b.minSize : `${b.minSize}–${b.maxSize}`} (mean ${b.meanSize.toFixed(1)}), first released ${b.firstReleases.join(', ')}`,
      );
    }
    if (a.overtaken > 0) said.push(`${a.overtaken} overtaken by cases enabled later`);
    if (said.length > 0) lines.push(oneLineStrings(`  ${a.activity}: ${said.join('; ')}.`));
  }
  lines.push('Working time found per resource (log time zone):');
  for (const c of analysis.calendars) {
    const spans =
      c.hoursPerWeek === 168
        ? 'around the clock'
        : c.spans
            .map((s) => `${s.day} ${String(s.from).padStart(2, '0')}–${String(s.to).padStart(2, '0')}`)
            .join(', ');
    lines.push(oneLineStrings(`  ${c.resource}: ${spans} (${c.hoursPerWeek} h a week)`));
  }
  return `${lines.join('\n')}\n`;
}
