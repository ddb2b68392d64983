/**
 * Choosing an event log and saying how to read it: the file (read in the event-log worker, never
 * uploaded), the columns Preflight found, the proposed mapping (each part overridable), the time
 * format and the time zone. Shared by discovery and the go-live check.
 */
import { useId, useState } from 'react';
import type { LogReading } from '../../../../workers/eventLogApi.ts';
import { previewInWorker } from '../../../../workers/eventLogClient.ts';
import {
  type ColumnMapping,
  caseColumnCheckedOnWholeLog,
  describeCaseColumn,
  describeLeftOut,
  describeXesCases,
  isUntimed,
  type LogPreview,
  type LogProblem,
  MAX_ATTRIBUTE_VALUES,
  type PreviewColumn,
  type ReadLogOptions,
  TIMESTAMP_FORMATS,
  type TimestampFormat,
} from '../../../core/workflow/eventlog/index.ts';
import { formatBytes, formatCount, plural } from '../../common/format.ts';
import { OcelSourceFields } from './OcelSourceFields.tsx';
import { PROBLEM_ADVICE } from './problemAdvice.ts';

/** A chosen log, what the preview found, and how it will be read. */
export interface LogSetup {
  file: File;
  preview: LogPreview;
  read: ReadLogOptions;
}

/** The time formats in words, with an example of each (made-up times, never the log's). */
export const TIME_FORMAT_LABELS: Readonly<Record<TimestampFormat, string>> = {
  iso: 'Year-month-day, e.g. 2024-03-01 14:30 (ISO 8601)',
  dmy: 'Day/month/year, e.g. 01/03/2024 14:30',
  mdy: 'Month/day/year, e.g. 03/01/2024 2:30 PM',
  'epoch-ms': 'Milliseconds since 1 January 1970 (computer time)',
  'epoch-s': 'Seconds since 1 January 1970 (computer time)',
};

/** How the log gives its times. */
type TimeMode = 'single' | 'lifecycle' | 'two' | 'none';

const TIME_MODE_LABELS: Record<TimeMode, string> = {
  single: 'One time per row (each row is one thing done)',
  lifecycle: 'One time per row, with a column marking each row as a start or a completion',
  two: 'Two time columns: when it started and when it was completed',
  none: 'No times (how often each activity and path occurs, and the variants, in the order of the rows; no durations or waits)',
};

function timeModeOf(mapping: ColumnMapping): TimeMode {
  if (isUntimed(mapping)) return 'none';
  if (mapping.start !== undefined || mapping.complete !== undefined) return 'two';
  return mapping.lifecycle !== undefined ? 'lifecycle' : 'single';
}

/**
 * The same mapping with `mode`'s time columns, keeping what fits; a column the mode newly needs is
 * the preview's best candidate (a time column, a start/complete column), else left to choose.
 */
function withTimeMode(mapping: ColumnMapping, mode: TimeMode, preview: LogPreview): ColumnMapping {
  const { timestamp, start, complete, lifecycle, ...rest } = mapping;
  const times = preview.columns
    .filter((c) => c.timestamps.format !== undefined || c.timestamps.ambiguous)
    .map((c) => c.name);
  const marker = preview.columns.find((c) => c.lifecycle)?.name ?? '';
  if (mode === 'none') return rest;
  if (mode === 'two') {
    const from = start ?? timestamp ?? times[0] ?? '';
    return { ...rest, start: from, complete: complete ?? times.find((t) => t !== from) ?? '' };
  }
  const time = timestamp ?? start ?? times[0] ?? '';
  return mode === 'lifecycle'
    ? { ...rest, timestamp: time, lifecycle: lifecycle ?? marker }
    : { ...rest, timestamp: time };
}

/** A mapping that names every required column. */
export function mappingComplete(mapping: ColumnMapping): boolean {
  const times = timeModeOf(mapping);
  const required = [
    mapping.case,
    mapping.activity,
    ...(times === 'two' ? [mapping.start, mapping.complete] : times === 'none' ? [] : [mapping.timestamp]),
    ...(times === 'lifecycle' ? [mapping.lifecycle] : []),
  ];
  return required.every((c) => c !== undefined && c !== '');
}

function ColumnSelect({
  label,
  value,
  columns,
  optional,
  onChange,
  hint,
  warn,
}: {
  label: string;
  value: string | undefined;
  columns: string[];
  optional?: boolean;
  onChange: (column: string | undefined) => void;
  hint?: string;
  /** the hint is a warning about the chosen column (shown as one) */
  warn?: boolean;
}) {
  const id = useId();
  const hintId = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value ?? ''}
        aria-describedby={hint ? hintId : undefined}
        onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}
      >
        <option value="">{optional ? 'None' : 'Choose a column'}</option>
        {columns.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
      {hint && (
        <p className={warn ? 'field-hint field-warning' : 'field-hint'} id={hintId}>
          {hint}
        </p>
      )}
    </div>
  );
}

/** What the preview says about the chosen time column(s), in words. */
function detectedFormat(preview: LogPreview, mapping: ColumnMapping): string {
  const column = preview.columns.find((c) => c.name === (mapping.timestamp ?? mapping.start));
  if (!column) return 'Choose the time column to see its format.';
  const t = column.timestamps;
  if (t.ambiguous)
    return `The dates in "${column.name}" could be day/month or month/day: every date seen has both numbers at 12 or below. Choose the order below.`;
  if (t.format === undefined)
    return `Preflight did not recognise the times in "${column.name}". Check that it is the time column, or choose the format below.`;
  const zone =
    t.zoned && !t.naive
      ? ' The times carry their own time zone.'
      : ' The times carry no time zone: say which below.';
  return `Detected in "${column.name}": ${TIME_FORMAT_LABELS[t.format]}.${zone}`;
}

/**
 * The files the chooser offers: what the event-log reader reads (CSV and TSV, XES, OCEL 2.0 JSON
 * and XML, each possibly gzipped, and OCEL 2.0 SQLite as PM4Py and OCEL tools name it). Not `.zip`.
 */
const LOG_FILE_ACCEPT = '.csv,.tsv,.txt,.xes,.gz,.jsonocel,.xmlocel,.json,.xml,.sqlite,.sqlite3,.db,text/csv';

/**
 * The file chooser and mapping form. `setup` is the current choice (null before a file is chosen);
 * `onSetup` receives every change.
 */
export function LogSourceForm({
  legend,
  setup,
  onSetup,
  disabled,
}: {
  legend: string;
  setup: LogSetup | null;
  onSetup: (setup: LogSetup | null) => void;
  disabled?: boolean;
}) {
  const fileId = useId();
  const fileHintId = useId();
  const zoneId = useId();
  const formatId = useId();
  const [problem, setProblem] = useState<string | null>(null);
  const [looking, setLooking] = useState(false);

  const choose = async (file: File | undefined) => {
    setProblem(null);
    if (!file) return;
    setLooking(true);
    try {
      const outcome = await previewInWorker(file, file.name);
      if (!outcome.ok) {
        setProblem(`${file.name}: ${outcome.message}`);
        onSetup(null);
        return;
      }
      onSetup({
        file,
        preview: outcome.preview,
        read: { mapping: outcome.preview.proposal, timeZone: 'UTC' },
      });
    } catch {
      setProblem(`${file.name} could not be read. Check that the file is still there and try again.`);
      onSetup(null);
    } finally {
      setLooking(false);
    }
  };

  const columns = setup?.preview.columns.map((c) => c.name) ?? [];
  const mapping = setup?.read.mapping;
  const setMapping = (next: ColumnMapping) =>
    setup && onSetup({ ...setup, read: { ...setup.read, mapping: next } });
  const setColumn = (key: Exclude<keyof ColumnMapping, 'keep'>) => (column: string | undefined) => {
    if (!mapping) return;
    const next: ColumnMapping = { ...mapping };
    if (column === undefined && key !== 'case' && key !== 'activity') delete next[key];
    else next[key] = column ?? '';
    // a column mapped to a part of the event is no longer kept as an extra one
    if (next.keep && column !== undefined) {
      const keep = next.keep.filter((c) => c !== column);
      if (keep.length > 0) next.keep = keep;
      else delete next.keep;
    }
    setMapping(next);
  };
  const mode = mapping ? timeModeOf(mapping) : 'single';

  return (
    <fieldset className="log-source" disabled={disabled}>
      <legend>{legend}</legend>
      <div className="field">
        <label htmlFor={fileId}>Event log file (CSV, XES or OCEL 2.0, gzipped or not)</label>
        <input
          id={fileId}
          type="file"
          accept={LOG_FILE_ACCEPT}
          aria-describedby={fileHintId}
          onChange={(e) => void choose(e.target.files?.[0])}
        />
        <p className="field-hint" id={fileHintId}>
          A CSV or XES export of your system's log, or an object-centric log in OCEL 2.0 JSON, XML or SQLite;
          gzipped (.csv.gz, .xes.gz) is fine. Read on this computer only: the file is never uploaded.
        </p>
      </div>
      {looking && <p role="status">Looking at the file…</p>}
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {setup?.preview.ocel && (
        <OcelSourceFields
          file={setup.file}
          summary={setup.preview.ocel}
          read={setup.read}
          onRead={(read) => onSetup({ ...setup, read })}
        />
      )}
      {setup && mapping && !setup.preview.ocel && (
        <>
          <p>
            {setup.file.name} ({formatBytes(setup.file.size)}, {setup.preview.kind === 'xes' ? 'XES' : 'CSV'}
            ): {plural(columns.length, setup.preview.kind === 'xes' ? 'attribute' : 'column')} found —{' '}
            {columns.join(', ')}.{' '}
            {setup.preview.evidence?.whole
              ? `Preflight proposes the columns below from their names and what each holds in the whole log (${plural(setup.preview.evidence.rows, 'row')}, ${plural(setup.preview.evidence.cases, 'case')}); check each one.`
              : `Preflight proposes the columns below from their names and the first ${plural(setup.preview.sampledRows, 'row')}; check each one.`}
          </p>
          {setup.preview.reasons && setup.preview.reasons.length > 0 && (
            <p className="note" data-testid="column-choice">
              {setup.preview.reasons.join(' ')}
            </p>
          )}
          <div className="field-grid">
            <ColumnSelect
              label="Case id (one patient visit, order or referral)"
              value={mapping.case || undefined}
              columns={columns}
              onChange={setColumn('case')}
              hint={
                setup.preview.kind === 'csv'
                  ? `${describeCaseColumn(setup.preview, mapping.case, setup.preview.proposal.case).message} Kept as text: 0012 stays 0012.`
                  : `${describeXesCases(mapping.case || undefined)} Kept as text: 0012 stays 0012.`
              }
              warn={
                setup.preview.kind === 'csv' &&
                describeCaseColumn(setup.preview, mapping.case, setup.preview.proposal.case).fewCases
              }
            />
            <ColumnSelect
              label="Activity (what was done)"
              value={mapping.activity || undefined}
              columns={columns}
              onChange={setColumn('activity')}
            />
          </div>
          <fieldset className="time-mode">
            <legend>How the log gives times</legend>
            {(Object.keys(TIME_MODE_LABELS) as TimeMode[]).map((m) => (
              <label key={m} className="radio">
                <input
                  type="radio"
                  name={`${fileId}-mode`}
                  value={m}
                  checked={mode === m}
                  onChange={() => setMapping(withTimeMode(mapping, m, setup.preview))}
                />{' '}
                {TIME_MODE_LABELS[m]}
              </label>
            ))}
          </fieldset>
          <div className="field-grid">
            {mode === 'two' ? (
              <>
                <ColumnSelect
                  label="Started at"
                  value={mapping.start}
                  columns={columns}
                  onChange={setColumn('start')}
                />
                <ColumnSelect
                  label="Completed at"
                  value={mapping.complete}
                  columns={columns}
                  onChange={setColumn('complete')}
                />
              </>
            ) : (
              <ColumnSelect
                label="Time"
                value={mapping.timestamp}
                columns={columns}
                onChange={setColumn('timestamp')}
              />
            )}
            {mode === 'lifecycle' && (
              <ColumnSelect
                label="Start or completion marker"
                value={mapping.lifecycle}
                columns={columns}
                onChange={setColumn('lifecycle')}
                hint="Rows marked start and complete are paired into one activity with its staff time. A log of completions only is read as one activity per row."
              />
            )}
            <ColumnSelect
              label="Who did it (person or role, optional)"
              value={mapping.resource}
              columns={columns}
              optional
              onChange={setColumn('resource')}
              hint="Becomes the lanes. Where it names people, map them to roles after discovery."
            />
            <ColumnSelect
              label="Role or team (optional)"
              value={mapping.role}
              columns={columns}
              optional
              onChange={setColumn('role')}
            />
            <ColumnSelect
              label="System used (optional)"
              value={mapping.system}
              columns={columns}
              optional
              onChange={setColumn('system')}
            />
          </div>
          <KeptColumnsField
            preview={setup.preview.columns}
            mapping={mapping}
            xes={setup.preview.kind === 'xes'}
            onKeep={(keep) => {
              const { keep: _, ...rest } = mapping;
              setMapping(keep.length > 0 ? { ...rest, keep } : rest);
            }}
          />
          <p className="detected">{detectedFormat(setup.preview, mapping)}</p>
          <div className="field-grid">
            <div className="field">
              <label htmlFor={formatId}>Time format</label>
              <select
                id={formatId}
                value={setup.read.timestampFormat ?? ''}
                onChange={(e) => {
                  const { timestampFormat: _, ...rest } = setup.read;
                  const value = e.target.value as TimestampFormat | '';
                  onSetup({ ...setup, read: value === '' ? rest : { ...rest, timestampFormat: value } });
                }}
              >
                <option value="">As detected</option>
                {TIMESTAMP_FORMATS.map((f) => (
                  <option key={f} value={f}>
                    {TIME_FORMAT_LABELS[f]}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={zoneId}>Time zone of times without one</label>
              <input
                autoComplete="off"
                id={zoneId}
                type="text"
                value={setup.read.timeZone ?? 'UTC'}
                spellCheck={false}
                onChange={(e) => onSetup({ ...setup, read: { ...setup.read, timeZone: e.target.value } })}
              />
              <p className="field-hint">UTC, an offset such as +02:00, or a place such as America/Chicago.</p>
            </div>
          </div>
        </>
      )}
    </fieldset>
  );
}

/** Share of sampled rows with a value of their own above which a column reads as an id or free text. */
const ID_LIKE_SHARE = 0.9;
/** Sampled values needed before a column is judged id-like. */
const ID_LIKE_MIN_FILLED = 20;

/** A column whose sampled values are nearly all different: an id or free text, not groups of cases. */
function idLike(column: PreviewColumn): boolean {
  return (
    column.distinct > MAX_ATTRIBUTE_VALUES ||
    (column.filled >= ID_LIKE_MIN_FILLED && column.distinct >= column.filled * ID_LIKE_SHARE)
  );
}

/**
 * The columns not mapped above, offered to keep for filtering cases (a department, a payer): each
 * kept column's values are held per activity, at most {@link MAX_ATTRIBUTE_VALUES} of them, so a
 * column that looks like an id or free text is offered with a note rather than hidden.
 */
function KeptColumnsField({
  preview,
  mapping,
  xes,
  onKeep,
}: {
  preview: readonly PreviewColumn[];
  mapping: ColumnMapping;
  xes: boolean;
  onKeep: (keep: string[]) => void;
}) {
  const hintId = useId();
  const mapped = new Set(
    Object.entries(mapping).flatMap(([part, column]) =>
      part !== 'keep' && typeof column === 'string' ? [column] : [],
    ),
  );
  const offered = preview.filter((c) => !mapped.has(c.name) && c.name !== '');
  if (offered.length === 0) return null;
  const kept = new Set(mapping.keep ?? []);
  return (
    <fieldset className="time-mode kept-columns" aria-describedby={hintId}>
      <legend>Other {xes ? 'attributes' : 'columns'} to filter cases by (optional)</legend>
      <p className="field-hint" id={hintId}>
        Tick a {xes ? 'trace or event attribute' : 'column'} such as a department, payer or clinic to filter
        the cases by it after discovery.
      </p>
      {offered.map((column) => (
        <label className="checkbox" key={column.name}>
          <input
            type="checkbox"
            checked={kept.has(column.name)}
            onChange={(e) =>
              onKeep(
                e.target.checked
                  ? [...(mapping.keep ?? []), column.name]
                  : (mapping.keep ?? []).filter((c) => c !== column.name),
              )
            }
          />{' '}
          {column.name}
          {idLike(column) && (
            <span className="field-hint">
              {' '}
              — nearly every row has its own value, like an id or free text: filtering by it keeps little, and
              a column with more than {formatCount(MAX_ATTRIBUTE_VALUES)} different values is not kept
            </span>
          )}
        </label>
      ))}
    </fieldset>
  );
}

/**
 * Said when every event of the log is a completion (no start rows), or when some completions had
 * no start (a log mixing the two forms): how such events were read, so that a staff time of "not
 * measured" is expected, not a fault.
 */
export function AtomicEventsNote({ reading }: { reading: LogReading }) {
  const unmatched = reading.unmatchedCompletes ?? 0;
  if (unmatched > 0) {
    return (
      <p className="log-note">
        {formatCount(unmatched)} {unmatched === 1 ? 'completion has' : 'completions have'} no start before{' '}
        {unmatched === 1 ? 'it' : 'them'}: this log records some activities with a start and a completion and
        others with a completion only. Each of these is read as one activity done at that moment, with no
        staff time measured.
      </p>
    );
  }
  if (!reading.atomicCompletes) return null;
  return (
    <p className="log-note">
      Every event in this log is a completion (there are no start rows), as in most exported logs. Each event
      is read as one activity done at that moment: staff times are not measured, and waits are the time from
      one event to the next in the same case.
    </p>
  );
}

/**
 * Said after reading when the chosen case column has few cases for the log's events, judged on
 * the whole log (the hint before reading judged the first rows only): the same words as the CLI.
 * When the hint warned on the first rows and the whole log has enough cases, says that instead.
 */
export function FewCasesNote({ setup, reading }: { setup: LogSetup; reading: LogReading }) {
  if (setup.preview.kind !== 'csv') return null;
  const column = setup.read.mapping.case;
  const read = { cases: reading.cases, events: reading.events };
  const said = describeCaseColumn(setup.preview, column, setup.preview.proposal.case, read);
  const message = said.fewCases ? said.message : caseColumnCheckedOnWholeLog(setup.preview, column, read);
  if (message === undefined) return null;
  return (
    <p className="log-note" role="status">
      {message}
    </p>
  );
}

/** The problems reading found, with rows and what to do; never cell values. */
export function LogProblems({
  reading,
  xes,
  skipBadRows,
  onSkipBadRows,
}: {
  reading: LogReading;
  /** the log is XES: positions are event numbers, not rows */
  xes: boolean;
  skipBadRows: boolean;
  onSkipBadRows: (skip: boolean) => void;
}) {
  const id = useId();
  if (reading.problems.length === 0) return null;
  const hasRowErrors = reading.problems.some((p) => p.severity === 'error' && p.rows.length > 0);
  const rowWord = xes ? 'event' : 'row';
  return (
    <section className="log-problems" aria-labelledby={id}>
      <h5 id={id}>What Preflight found while reading the log</h5>
      <ul>
        {reading.problems.map((p) => (
          <li key={p.code} className={p.severity === 'error' ? 'problem-error' : 'problem-warning'}>
            <strong>{p.severity === 'error' ? 'Must be fixed' : 'Note'}</strong>
            {whereText(p, rowWord)} {PROBLEM_ADVICE[p.code]}
            {p.detail ? ` ${describeLeftOut(p.detail)}` : ''}
          </li>
        ))}
      </ul>
      {hasRowErrors && (
        <label className="checkbox">
          <input type="checkbox" checked={skipBadRows} onChange={(e) => onSkipBadRows(e.target.checked)} />{' '}
          Leave out the rows with problems and use the rest
        </label>
      )}
    </section>
  );
}

/** Where: "(3 rows: 4, 9, 12)", "(25 rows: 1, 2, … and 15 more)"; a problem of the whole log has none. */
function whereText(problem: LogProblem, rowWord: string): string {
  if (problem.rows.length === 0) return problem.count > 1 ? ` (${formatCount(problem.count)} times):` : ':';
  const more = problem.count - problem.rows.length;
  return ` (${plural(problem.count, rowWord)}: ${problem.rows.join(', ')}${more > 0 ? ` and ${formatCount(more)} more` : ''}):`;
}
