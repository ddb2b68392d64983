/**
 * `preflight workflow discover <log.csv|log.xes> --case … --activity … --timestamp … -o current.json`:
 * discovers the current workflow from an event log with the core's `discoverWorkflow`, the
 * function the browser uses, so both give the same file.
 *
 * stdout carries only the workflow (when no -o is given); the reading report goes to stderr.
 * Exit 0 ok; 2 bad usage or a log that cannot be used as read (messages name rows and columns).
 */
import path from 'node:path';
import {
  type AttributeFilter,
  type BackTest,
  backTest,
  createLocalClock,
  createTimeZone,
  DEFAULT_BACK_TEST_SEED,
  FILTER_ATTRIBUTES,
  type FilterAttribute,
  type LogFilters,
  UnknownTimeZoneError,
} from '../../core/workflow/eventlog/index.ts';
import { logFindings } from '../../core/workflow/index.ts';
import { discoverWithWaitCauses } from '../../core/workflow/waits/index.ts';
import { type AnalysisSettingsFile, loadAnalysisSettings } from '../../formats/analysisSettings.ts';
import { loadWorkflow } from '../../formats/workflow.ts';
import {
  type CliIo,
  type Command,
  EXIT_FINDINGS,
  EXIT_OK,
  EXIT_USAGE,
  type ParsedArgs,
  UsageError,
} from '../command.ts';
import { oneLineStrings } from '../terminalText.ts';
import { withClaimedOutputs, writeOutput } from '../wholeFiles.ts';
import {
  isXes,
  LOG_OPTIONS,
  readingReport,
  readLogFile,
  readLogOptions,
  requireUsable,
  UnusableLog,
} from './eventLogInput.ts';
import { findingsText, parseReplications, parseSeed, readDocument, Unusable } from './workflowAnalyze.ts';
import { readWorkflow } from './workflowConform.ts';

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const WORKING_HOURS = /^(\d{1,2})(?::00)?-(\d{1,2})(?::00)?$/;
const DATE = /^\d{4}-\d{2}-\d{2}(?:[T ].*)?$/;

function parseDays(value: string): number[] {
  const days = new Set<number>();
  for (const part of value.toLowerCase().split(',')) {
    const [from, to] = part.split('-').map((d) => DAY_NAMES.indexOf(d.trim().slice(0, 3)));
    if (from === undefined || from < 0 || (to !== undefined && to < 0)) {
      throw new UsageError('--working-days takes day names such as mon-fri or mon,wed,fri');
    }
    const last = to ?? from;
    for (let d = from; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === last) break;
    }
  }
  return [...days].sort();
}

function parseDate(value: string, option: string, clockZone: (localMs: number) => number): number {
  if (!DATE.test(value)) throw new UsageError(`--${option} takes a date such as 2024-03-01`);
  const [y, m, d] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const local = Date.UTC(y, m - 1, d);
  if (Number.isNaN(local) || new Date(local).getUTCDate() !== d)
    throw new UsageError(`--${option} is not a real date`);
  return clockZone(local);
}

function parseFilters(args: ParsedArgs, zone: (localMs: number) => number): LogFilters {
  const filters: LogFilters = {};
  const variants = args.string('variants');
  if (variants !== undefined) {
    const share = Number(variants.replace(/%$/, ''));
    if (!Number.isFinite(share) || share <= 0 || share > 100) {
      throw new UsageError('--variants takes the share of cases to keep, in percent: 1 to 100');
    }
    filters.variantCoverage = share / 100;
  }
  const minActivity = args.string('min-activity');
  if (minActivity !== undefined) {
    const n = Number(minActivity);
    if (!Number.isSafeInteger(n) || n < 1) throw new UsageError('--min-activity takes a whole count ≥ 1');
    filters.minActivityCount = n;
  }
  const from = args.string('from');
  const to = args.string('to');
  if (from !== undefined || to !== undefined) {
    filters.dateRange = {
      ...(from !== undefined ? { from: parseDate(from, 'from', zone) } : {}),
      ...(to !== undefined ? { to: parseDate(to, 'to', zone) } : {}),
    };
  }
  const conditions = parseAttributeFilters(args);
  if (conditions.length > 0) filters.attributes = conditions;
  const hours = args.string('working-hours');
  if (hours !== undefined) {
    const match = WORKING_HOURS.exec(hours);
    const startHour = Number(match?.[1]);
    const endHour = Number(match?.[2]);
    if (!match || startHour >= endHour || endHour > 24) {
      throw new UsageError('--working-hours takes a range of hours such as 08-18');
    }
    filters.workingHours = { days: parseDays(args.string('working-days') ?? 'mon-fri'), startHour, endHour };
  } else if (args.string('working-days') !== undefined) {
    throw new UsageError('--working-days needs --working-hours');
  }
  return filters;
}

/**
 * `--with` / `--without name=value`, repeated: one condition per option and name, its values
 * combined with "any of"; the conditions all apply. A name other than role, system or resource is
 * a column (CSV) or attribute key (XES) of the log, kept for the filter (see {@link keptColumns}).
 */
function parseAttributeFilters(args: ParsedArgs): AttributeFilter[] {
  const conditions = new Map<string, AttributeFilter & { values: string[] }>();
  for (const keep of ['with', 'without'] as const) {
    for (const given of args.strings(keep)) {
      const at = given.indexOf('=');
      const name = given.slice(0, Math.max(at, 0)).trim();
      if (at < 1 || name === '' || at === given.length - 1) {
        throw new UsageError(
          `--${keep} takes a name and a value: ${FILTER_ATTRIBUTES.join(', ')} or a column of the log, such as role=Nurse or department=Cardiology`,
        );
      }
      const builtIn = (FILTER_ATTRIBUTES as readonly string[]).includes(name);
      const key = `${keep}\u0000${name}`;
      let condition = conditions.get(key);
      if (!condition) {
        condition = builtIn
          ? { attribute: name as FilterAttribute, values: [], keep }
          : { attribute: 'column', column: name, values: [], keep };
        conditions.set(key, condition);
      }
      condition.values.push(given.slice(at + 1));
    }
  }
  return [...conditions.values()];
}

/** The log columns the conditions name (read and kept with each activity instance). */
function keptColumns(conditions: readonly AttributeFilter[] | undefined): string[] {
  return [...new Set((conditions ?? []).flatMap((c) => (c.column === undefined ? [] : [c.column])))];
}

/** The `preflight workflow discover` command. */
export const workflowDiscoverCommand: Command = {
  name: 'workflow discover',
  summary: 'discover the current workflow (steps, flows, measured times) from an event log',
  operands: '<log.csv|log.xes>',
  options: [
    ...LOG_OPTIONS,
    {
      name: 'variants',
      type: 'string',
      valueName: 'percent',
      description: 'keep the most frequent paths until they cover this share of cases, e.g. 80',
    },
    {
      name: 'min-activity',
      type: 'string',
      valueName: 'count',
      description: 'drop activities seen fewer times',
    },
    {
      name: 'from',
      type: 'string',
      valueName: 'date',
      description: 'keep cases that start on or after this date',
    },
    { name: 'to', type: 'string', valueName: 'date', description: 'keep cases that start before this date' },
    {
      name: 'with',
      type: 'string',
      valueName: 'name=value',
      multiple: true,
      description: 'keep cases with an event of this role, system, resource or column value, e.g. role=Lab',
    },
    {
      name: 'without',
      type: 'string',
      valueName: 'name=value',
      multiple: true,
      description: 'leave out cases with an event of this role, system, resource or column value',
    },
    {
      name: 'working-hours',
      type: 'string',
      valueName: 'HH-HH',
      description: 'keep activities that start inside these hours, e.g. 08-18',
    },
    {
      name: 'working-days',
      type: 'string',
      valueName: 'days',
      description: 'working days for --working-hours (default mon-fri)',
    },
    {
      name: 'id',
      type: 'string',
      valueName: 'id',
      description: 'id of the workflow (default discovered-current)',
    },
    { name: 'name', type: 'string', valueName: 'text', description: 'name of the workflow' },
    {
      name: 'settings',
      type: 'string',
      valueName: 'file',
      description:
        'analysis settings (preflight.analysissettings/v1) for the findings from the log: thresholds and severities',
    },
    {
      name: 'output',
      short: 'o',
      type: 'string',
      valueName: 'file',
      description: 'write the workflow here (default: stdout)',
    },
    {
      name: 'back-test',
      type: 'boolean',
      description: "replay the log's cases through the discovered workflow and compare each step's waits",
    },
    {
      name: 'back-test-workflow',
      type: 'string',
      valueName: 'file',
      description:
        'with --back-test: check this workflow instead (e.g. the adopted one), steps matched by name',
    },
    {
      name: 'back-test-report',
      type: 'string',
      valueName: 'file',
      description: 'with --back-test: write the comparison as JSON to this file',
    },
    {
      name: 'seed',
      type: 'string',
      valueName: 'n',
      description: `seed of --back-test, 0 to 4294967295 (default ${DEFAULT_BACK_TEST_SEED})`,
    },
    {
      name: 'replications',
      type: 'string',
      valueName: 'n',
      description: 'replications of --back-test, 2 to 500 (default 20)',
    },
  ],
  description: [
    'Reads an event log (CSV, or XES by its .xes extension) and writes the current workflow it shows',
    '(preflight.workflow/v1): activities become steps, directly-follows relations flows, roles lanes,',
    'with measured touch and wait times. Times: --timestamp (one per row), --start and --complete, or',
    '--timestamp with --lifecycle (rows marked start / complete). An object-centric log (OCEL 2.0 JSON or',
    'XML, told by its content) is read for one object type: --object-type.',
  ].join('\n'),
  notes: [
    'After the summary, stderr lists what the log shows: the longest waits (long-wait), steps done again',
    "(rework-loop) and work bounced between two roles (handoff-ping-pong), each with the log's figures;",
    'they inform and never change the exit code.',
    'Exit codes: 0 ok (with --back-test: the model reproduces the log); 1 with --back-test, it does not',
    'or the log cannot check it; 2 bad usage, or a log that cannot be used (each problem with its rows).',
    'Times, XES attributes, filters and the back-test: docs/cli.md#preflight-workflow-discover',
  ].join('\n'),
  examples: [
    {
      args: [
        'samples/logs/prescription-refill.current.csv',
        '--case',
        'case',
        '--activity',
        'activity',
        '--timestamp',
        'timestamp',
        '--lifecycle',
        'lifecycle',
        '--role',
        'role',
      ],
      does: "the refill workflow a day's event log shows (printed as JSON)",
      exits: 0,
    },
  ],
  run: (args: ParsedArgs, io: CliIo) =>
    // the -o file is claimed for the whole run: a killed run is named by the next (wholeFiles.ts)
    withClaimedOutputs([args.string('output'), args.string('back-test-report')], io, () =>
      discover(args, io),
    ),
};

async function discover(args: ParsedArgs, io: CliIo): Promise<number> {
  const [file, ...extra] = args.operands;
  if (file === undefined || extra.length > 0) throw new UsageError('give exactly one event log file');
  let options: Awaited<ReturnType<typeof readLogOptions>>;
  try {
    options = await readLogOptions(args, io.cwd, isXes(file), file);
  } catch (error) {
    if (!(error instanceof UnusableLog)) throw error;
    io.stderr(`preflight workflow discover: ${error.message}`);
    return EXIT_USAGE;
  }
  let clock: ReturnType<typeof createLocalClock>;
  let zone: (localMs: number) => number;
  try {
    clock = createLocalClock(options.timeZone ?? 'UTC');
    zone = createTimeZone(options.timeZone ?? 'UTC');
  } catch (error) {
    if (error instanceof UnknownTimeZoneError) throw new UsageError(error.message);
    throw error;
  }
  const filters = parseFilters(args, zone);
  const testing = args.flag('back-test');
  for (const option of ['back-test-report', 'back-test-workflow', 'seed', 'replications']) {
    if (!testing && args.string(option) !== undefined) throw new UsageError(`--${option} needs --back-test`);
  }
  const seedText = args.string('seed');
  const replicationsText = args.string('replications');
  const backTestOptions = {
    ...(seedText !== undefined ? { seed: parseSeed(seedText) } : {}),
    ...(replicationsText !== undefined ? { replications: parseReplications(replicationsText) } : {}),
  };
  const settingsFile = args.string('settings');
  let settings: AnalysisSettingsFile | undefined;
  try {
    settings =
      settingsFile === undefined
        ? undefined
        : await readDocument(settingsFile, io.cwd, 'analysis settings file', loadAnalysisSettings);
  } catch (error) {
    if (!(error instanceof Unusable)) throw error;
    io.stderr(`preflight workflow discover: ${error.message}`);
    return EXIT_USAGE;
  }
  const keep = keptColumns(filters.attributes);
  if (keep.length > 0) options = { ...options, mapping: { ...options.mapping, keep } };
  try {
    const result = await readLogFile(file, io.cwd, options);
    // each a line of its own: a column or activity name from the log cannot start another
    for (const line of readingReport(file, result, options)) io.stderr(oneLineStrings(line));
    requireUsable(file, result, args.flag('skip-bad-rows'));
    // each step's wait split by cause goes with the workflow, as the browser keeps it
    const discovery = discoverWithWaitCauses(result.log, clock, {
      source: path.basename(file),
      ...(args.string('id') ? { id: args.string('id') } : {}),
      ...(args.string('name') ? { name: args.string('name') } : {}),
      filters,
    });
    if (discovery.filters.casesAfter === 0) {
      io.stderr(
        `preflight workflow discover: the filters left no cases (of ${discovery.filters.casesBefore}); widen the date range, working hours, --with/--without or --variants.`,
      );
      return EXIT_USAGE;
    }
    const loaded = loadWorkflow(discovery.workflow);
    if (!loaded.ok) {
      // a discovery bug, never the user's input: say so rather than write a file that will not load
      io.stderr(
        'preflight workflow discover: internal error (the discovered workflow does not validate); please report it',
      );
      return EXIT_USAGE;
    }
    const f = discovery.filters;
    if (f.attributeCounts && f.attributeCases !== undefined && filters.attributes) {
      // names of the conditions, never their values (they are record content)
      const each = filters.attributes.map(
        (c, k) => `${c.keep} ${c.column ?? c.attribute}: ${f.attributeCounts?.[k] ?? 0}`,
      );
      io.stderr(
        `Attribute conditions keep ${f.attributeCases} of ${f.casesBefore} cases together (each alone: ${each.join('; ')}).`,
      );
    }
    io.stderr(
      `Discovered ${discovery.workflow.steps.length - 2} steps, ${discovery.workflow.flows.length} flows, ${discovery.workflow.lanes.length} lanes from ${f.casesAfter} of ${f.casesBefore} cases (${f.variantsKept} of ${f.variants} variants); peak ${discovery.workflow.arrivalsPerHour} cases/hour.`,
    );
    const found = logFindings(discovery.workflow, settings);
    const [, ...findingLines] = findingsText(found.map((f) => ({ ...f, rules: f.rules ?? [f.rule] })));
    io.stderr(
      found.length === 0
        ? 'What the log shows: no long waits, repeated steps or work bounced between roles above the thresholds.'
        : `What the log shows (${found.length} ${found.length === 1 ? 'finding' : 'findings'}):`,
    );
    for (const line of findingLines) io.stderr(oneLineStrings(line));
    const json = `${JSON.stringify(discovery.workflow, null, 2)}\n`;
    const output = args.string('output');
    const failed = await writeOutput(json, output, io);
    if (failed) {
      io.stderr(`preflight workflow discover: ${failed}.`);
      return EXIT_USAGE;
    }
    if (output !== undefined) io.stderr(`Wrote ${output}.`);
    if (!testing) return EXIT_OK;
    const given = args.string('back-test-workflow');
    const model = given === undefined ? discovery.workflow : await readWorkflow(given, io.cwd);
    const tested = backTest(discovery.log, model, backTestOptions);
    if (!tested.ok) {
      io.stderr(`Back-test: ${tested.message}`);
      return EXIT_FINDINGS;
    }
    for (const line of backTestLines(tested.backTest)) io.stderr(line);
    const report = args.string('back-test-report');
    if (report !== undefined) {
      const failedReport = await writeOutput(`${JSON.stringify(tested.backTest, null, 2)}\n`, report, io);
      if (failedReport) {
        io.stderr(`preflight workflow discover: ${failedReport}.`);
        return EXIT_USAGE;
      }
      io.stderr(`Wrote ${report}.`);
    }
    return tested.backTest.verdict === 'trusted' ? EXIT_OK : EXIT_FINDINGS;
  } catch (error) {
    if (error instanceof UnusableLog) {
      io.stderr(`preflight workflow discover: ${error.message}`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

const STATUS_TEXT: Record<BackTest['steps'][number]['status'], string> = {
  reproduced: 'reproduced',
  'longer-than-model': 'NOT reproduced: waited longer than the model',
  'shorter-than-model': 'NOT reproduced: waited less than the model',
  'too-few': 'not compared: too few waits',
  'no-resource': 'not compared: the log names nobody for it',
};

/** The back-test as lines for stderr: the verdict, then one line per step. */
function backTestLines(result: BackTest): string[] {
  const minutes = (value: number) => value.toFixed(1);
  const verdict =
    result.verdict === 'trusted'
      ? `the model reproduces the log: ${result.reproduced} of ${result.checked} steps within range`
      : result.verdict === 'not-trusted'
        ? `the model does NOT reproduce the log: ${result.checked - result.reproduced} of ${result.checked} steps out of range, do not plan on its capacity figures`
        : 'the log cannot check the model: no step has enough waits with the people named';
  const lines = [
    `Back-test (${result.cases} cases, ${result.replications} replications, seed ${result.seed}): ${verdict}.`,
    '  step: observed mean wait (median, n) | simulated mean [95 % range] | delay not waiting for staff | result',
  ];
  for (const step of result.steps) {
    if (step.observed.n === 0) {
      lines.push(
        `  ${step.label}: no recorded wait (the first step of its cases) | ${STATUS_TEXT[step.status]}`,
      );
      continue;
    }
    lines.push(
      `  ${step.label}: ${minutes(step.observed.meanMin)} min (${minutes(step.observed.medianMin)}, n ${step.observed.n}) | ${minutes(step.simulatedMeanMin.mean)} min [${minutes(step.expectedRange.low)}–${minutes(step.expectedRange.high)}] | ${minutes(step.delayMeanMin)} min | ${STATUS_TEXT[step.status]}${step.touchFromWorkflow ? ' (touch time from the workflow: the log has none)' : ''}`,
    );
  }
  return lines;
}
