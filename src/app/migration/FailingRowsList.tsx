/**
 * Every failing row of a file, in a virtualized list: only the rows in view are re-read from the
 * file (by their byte offsets, in the validator worker) and kept in memory — a few dozen, whatever
 * the number of failing rows. The cells that break the column contract are marked, by running the
 * contract's declarative plan on the re-read row (pure, no generated code). With a mapping, the
 * cells whose values make the new record invalid are marked too: the run keeps which failing rows
 * each finding holds (its issue groups), and the mapping names the source columns it reads for the
 * finding's target path (core/mapping/findingCells.ts; a report example of the row gives
 * the exact column). The page never maps or validates a record itself: that needs the target's
 * checks (FHIR modules, ajv's generated code), which only the validator worker runs.
 *
 * "Show" narrows the list (core/validation/rowFilters.ts): to one issue (from the report), to the
 * rows with errors or with warnings, or to the rows of a cross-file finding (repeated keys, one
 * identifier with different details, references to missing records). Rows the run did not keep
 * (every filter but one issue and errors) are found by one pass over the file in the validator
 * worker when chosen (core/validation/findRows.ts): only their numbers and byte offsets are kept
 * (12 bytes a row), and the list re-reads the rows in view exactly as for failing rows.
 *
 * When waivers accept problems of a file, each row says whether it is accepted (every problem of it
 * accepted, and by which waiver) or still fails, and "Show" offers the rows still failing and the
 * rows accepted (core/validation/waivedRows.ts: a waiver limited to rows accepts a problem only in
 * the rows the run counted, so one problem's rows can fall on both sides).
 *
 * Constraint: the list is as tall as all its rows (ROW_HEIGHT each); browsers cap an element's
 * height at about 16 million pixels, so past ~500,000 rows the list shows the first 500,000 and
 * says so.
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { FindRowsTask } from '../../../workers/findRowsTask.ts';
import type { FailingRowIndex, ValidateRequest } from '../../../workers/validateApi.ts';
import { findRowsInWorker, readRowsInWorker } from '../../../workers/validateClient.ts';
import { compilePlan, createPlanRunner, ROW_VALID } from '../../core/contract/index.ts';
import { toJobError } from '../../core/jobs/errors.ts';
import {
  describeWaiver,
  errorGroups,
  type FoundRows,
  groupPositions,
  type RowFilter,
  reportValue,
  rowAcceptance,
  rowFilters,
  unionPositions,
  type WaivedPositions,
  waivedPositions,
} from '../../core/validation/index.ts';
import type { Report } from '../../formats/report.ts';
import { formatCount, plural } from '../common/format.ts';
import { cellProblem, mappedCells, mappedGroups } from './mappedCells.ts';

const ROW_HEIGHT = 28;
const VIEWPORT_HEIGHT = 336;
const OVERSCAN = 6;
/** Rows listed at most (see the file header). */
const MAX_LISTED_ROWS = 500_000;
/** Re-read rows kept; the ones farthest from the view are dropped first. */
const CACHE_ROWS = 200;

type Loaded = { fields: string[]; failing: Set<number> } | null;

/** A row to bring into view (e.g. an issue example the user chose); `seq` makes a repeat a change. */
export interface RowTarget {
  input: string;
  row: number;
  seq: number;
}

/** One issue group whose rows the list is limited to (the report's issue: file, rule, column). */
export interface IssueFilter {
  input: string;
  rule: string;
  location: string;
  /** the issue as the report words it, for the list's heading */
  label: string;
}

function groupOf(failing: readonly FailingRowIndex[], filter: Omit<IssueFilter, 'label'>) {
  return failing
    .find((f) => f.input === filter.input)
    ?.issues.find((g) => g.rule === filter.rule && g.location === filter.location);
}

/** How many failing rows `filter`'s group holds (0 when none are known); cheap: nothing is listed. */
export function filterRowCount(
  failing: readonly FailingRowIndex[],
  filter: Omit<IssueFilter, 'label'>,
): number {
  return groupOf(failing, filter)?.count ?? 0;
}

/** The failing rows of `filter`'s group, as positions in its file's failing rows; undefined when none are known. */
export function filterPositions(
  failing: readonly FailingRowIndex[],
  filter: Omit<IssueFilter, 'label'>,
): Uint32Array | undefined {
  const group = groupOf(failing, filter);
  return group && group.count > 0 ? groupPositions(group) : undefined;
}

/** Position of `row` in the ascending failing rows, or -1 (also: of a value in any ascending list). */
export function failingPosition(rows: Uint32Array, row: number): number {
  let lo = 0;
  let hi = rows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const value = rows[mid] as number;
    if (value === row) return mid;
    if (value < row) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The filters of the "Show" choice for `report`, for the inputs whose files are in `request`. */
export function listFilters(report: Report, request: ValidateRequest): RowFilter[] {
  return rowFilters(
    report,
    request.inputs.map((i) => i.name),
  );
}

/** The words of a filter in the "Show" choice, with how many rows it lists. */
function optionLabel(filter: RowFilter, errorRows: (input: string) => number): string {
  switch (filter.kind) {
    case 'errors':
      return `${filter.label} (${plural(errorRows(filter.input), 'row')})`;
    case 'warnings':
      return `${filter.label} (${plural(filter.count, 'warning')})`;
    case 'orphans':
      return `${filter.label} (${plural(filter.count, 'row')})`;
    default:
      return `${filter.label} (${plural(filter.rows.length, 'row')}${filter.complete ? '' : ', the first ones the report lists'})`;
  }
}

/** A choice of "Show" that splits an input's failing rows by waivers. */
interface WaiverView {
  id: string;
  input: string;
  side: 'failing' | 'accepted';
  label: string;
  positions: Uint32Array;
}

/** The waiver choices of "Show": per input whose problems a waiver accepts, still failing and accepted. */
function waiverViews(failing: readonly FailingRowIndex[], report: Report | undefined): WaiverView[] {
  if (!report?.waivers) return [];
  return failing.flatMap((index) => {
    const split: WaivedPositions | undefined =
      index.count > 0
        ? waivedPositions(report, {
            input: index.input,
            rows: index.rows,
            count: index.count,
            groups: index.issues,
          })
        : undefined;
    if (!split) return [];
    return [
      {
        id: `still|${index.input}`,
        input: index.input,
        side: 'failing' as const,
        label: `Rows still failing in ${index.input}`,
        positions: split.failing,
      },
      {
        id: `accepted|${index.input}`,
        input: index.input,
        side: 'accepted' as const,
        label: `Rows accepted by a waiver in ${index.input}`,
        positions: split.accepted,
      },
    ];
  });
}

/** What the worker is asked to find for a filter of rows the run did not keep (undefined: errors). */
function findTask(filter: RowFilter, request: ValidateRequest): FindRowsTask | undefined {
  const input = request.inputs.find((i) => i.name === filter.input);
  if (!input || filter.kind === 'errors') return undefined;
  const base = { file: input.file, name: input.name, layout: input.layout };
  switch (filter.kind) {
    case 'warnings':
      return { ...base, rows: filter.rows, ...(input.mapping ? { mappingWarnings: input.mapping } : {}) };
    case 'orphans': {
      const target = request.inputs.find((i) => i.name === filter.target);
      if (!target) return undefined;
      return {
        ...base,
        orphans: {
          column: filter.column,
          target: {
            file: target.file,
            name: target.name,
            layout: target.layout,
            column: filter.targetColumn,
          },
        },
      };
    }
    default:
      return { ...base, rows: filter.rows };
  }
}

export function FailingRowsList({
  failing,
  request,
  report,
  target,
  filter,
  onClearFilter,
  onView,
}: {
  failing: readonly FailingRowIndex[];
  request: ValidateRequest;
  /** the run's report: its issues' severities and cross-file findings make the "Show" choice */
  report?: Report | undefined;
  target?: RowTarget | undefined;
  /** list only the rows of this issue */
  filter?: IssueFilter | undefined;
  onClearFilter?: () => void;
  /** told the label of the filter chosen under "Show" (undefined: every failing row) */
  onView?: (label: string | undefined) => void;
}) {
  const withRows = failing.filter((f) => f.count > 0);
  const [inputName, setInputName] = useState(withRows[0]?.input ?? '');
  const filters = useMemo(() => (report ? listFilters(report, request) : []), [report, request]);
  const [viewId, setViewId] = useState('');
  const view = filter ? undefined : filters.find((f) => f.id === viewId);
  const waived = useMemo(() => waiverViews(failing, report), [failing, report]);
  const waivedView = filter ? undefined : waived.find((w) => w.id === viewId);
  const viewLabel = view?.label ?? waivedView?.label;
  useEffect(() => {
    onView?.(viewLabel);
  }, [onView, viewLabel]);
  useEffect(() => {
    if (!target) return;
    setInputName(target.input);
    setViewId(''); // a row chosen from the report is shown among every failing row
  }, [target]);
  useEffect(() => {
    if (!filter) return;
    setInputName(filter.input);
    setViewId('');
  }, [filter]);
  const index = view
    ? failing.find((f) => f.input === view.input)
    : waivedView
      ? failing.find((f) => f.input === waivedView.input)
      : (withRows.find((f) => f.input === (filter?.input ?? inputName)) ?? withRows[0]);
  const positions = useMemo(
    () => (filter && index?.input === filter.input ? filterPositions(failing, filter) : undefined),
    [failing, filter, index],
  );
  const errorPositions = useMemo(
    () =>
      view?.kind === 'errors' && index && report
        ? unionPositions(errorGroups(report, index.issues), index.count)
        : undefined,
    [view, index, report],
  );
  /** rows with errors per input, for the "Show" choice (a union over the groups: once per run) */
  const errorCounts = useMemo(() => {
    const counts = new Map<string, number>();
    for (const f of filters) {
      const rows = failing.find((x) => x.input === f.input);
      if (f.kind === 'errors' && rows && report)
        counts.set(f.input, unionPositions(errorGroups(report, rows.issues), rows.count).length);
    }
    return counts;
  }, [filters, failing, report]);
  const errorRows = (input: string) => errorCounts.get(input) ?? 0;
  const selectId = useId();
  const showId = useId();
  if (!index) return null;
  return (
    <div className="failing-rows">
      {filters.length + waived.length > 0 && (
        <div className="row">
          <label htmlFor={showId}>Show</label>
          <select
            id={showId}
            value={filter ? 'issue' : (view?.id ?? waivedView?.id ?? '')}
            onChange={(e) => {
              const value = e.currentTarget.value;
              if (value === 'issue') return;
              if (filter) onClearFilter?.();
              setViewId(value);
            }}
          >
            {filter && <option value="issue">Rows with one problem (chosen in the report)</option>}
            <option value="">Every failing row</option>
            {waived.map((w) => (
              <option key={w.id} value={w.id}>
                {`${w.label} (${plural(w.positions.length, 'row')})`}
              </option>
            ))}
            {filters.map((f) => (
              <option key={f.id} value={f.id}>
                {optionLabel(f, errorRows)}
              </option>
            ))}
          </select>
        </div>
      )}
      {filter && positions && (
        <p className="failing-filter" role="status">
          Showing only the {formatCount(positions.length)} rows with: <strong>{filter.label}</strong>{' '}
          <button type="button" onClick={onClearFilter}>
            Show every failing row
          </button>
        </p>
      )}
      {waivedView ? (
        <RowsViewport
          key={waivedView.id}
          index={index}
          positions={waivedView.positions}
          caption={
            waivedView.side === 'failing'
              ? `${plural(waivedView.positions.length, 'row')} still failing in ${index.input}: a problem of each is accepted by no waiver`
              : `${plural(waivedView.positions.length, 'row')} in ${index.input} whose every problem a waiver accepts`
          }
          label={waivedView.label}
          request={request}
          report={report}
          target={target?.input === index.input ? target : undefined}
        />
      ) : view && view.kind !== 'errors' ? (
        <FoundRowsView key={view.id} filter={view} index={index} request={request} />
      ) : view?.kind === 'errors' ? (
        <RowsViewport
          key={view.id}
          index={index}
          positions={errorPositions}
          caption={`${plural(errorPositions?.length ?? 0, 'row')} with errors in ${index.input}`}
          label={view.label}
          request={request}
          report={report}
          target={target?.input === index.input ? target : undefined}
        />
      ) : (
        <>
          {withRows.length > 1 && !filter && (
            <div className="row">
              <label htmlFor={selectId}>File</label>
              <select id={selectId} value={index.input} onChange={(e) => setInputName(e.currentTarget.value)}>
                {withRows.map((f) => (
                  <option key={f.input} value={f.input}>
                    {f.input} ({formatCount(f.count)} failing rows)
                  </option>
                ))}
              </select>
            </div>
          )}
          <RowsViewport
            key={filter && positions ? `${index.input}|${filter.rule}|${filter.location}` : index.input}
            index={index}
            positions={filter ? positions : undefined}
            request={request}
            report={report}
            target={target?.input === index.input ? target : undefined}
          />
        </>
      )}
    </div>
  );
}

/** Found rows per run (its request) and filter: a filter chosen again is not searched again. */
const foundCache = new WeakMap<ValidateRequest, Map<string, FoundRows>>();

type FindState =
  | { status: 'finding'; percent: number }
  | { status: 'done'; found: FoundRows }
  | { status: 'failed'; message: string };

/**
 * The rows of a filter the run did not keep: found by one pass over the file in the validator
 * worker (with progress; leaving the filter cancels it), then listed like failing rows.
 */
function FoundRowsView({
  filter,
  index,
  request,
}: {
  filter: RowFilter;
  index: FailingRowIndex;
  request: ValidateRequest;
}) {
  const cached = foundCache.get(request)?.get(filter.id);
  const [state, setState] = useState<FindState>(
    cached ? { status: 'done', found: cached } : { status: 'finding', percent: 0 },
  );
  // the search starts once per filter and run: a re-render that rebuilds the filter object (same
  // id) must not cancel and restart it
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const filterId = filter.id;
  useEffect(() => {
    if (foundCache.get(request)?.has(filterId)) return;
    const filter = filterRef.current;
    const task = findTask(filter, request);
    if (!task) {
      setState({
        status: 'failed',
        message: 'The files of this finding are no longer at hand: choose them again and validate.',
      });
      return;
    }
    const controller = new AbortController();
    findRowsInWorker(task, {
      signal: controller.signal,
      // a report is never allowed to put a finished search back to "finding" (the pool drops late ones too)
      onProgress: ({ bytes, total }) =>
        setState((state) =>
          state.status === 'finding'
            ? { status: 'finding', percent: total > 0 ? Math.floor((bytes / total) * 100) : 0 }
            : state,
        ),
    }).then(
      (outcome) => {
        if (controller.signal.aborted) return;
        if (!outcome.ok) {
          setState({ status: 'failed', message: `${outcome.problem.message} ${outcome.problem.advice}` });
          return;
        }
        let byFilter = foundCache.get(request);
        if (!byFilter) {
          byFilter = new Map();
          foundCache.set(request, byFilter);
        }
        byFilter.set(filterId, outcome.found);
        setState({ status: 'done', found: outcome.found });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'failed', message: toJobError(error).message });
      },
    );
    return () => controller.abort();
  }, [filterId, request]);

  if (state.status === 'finding')
    return (
      <div className="progress-block">
        <progress max={100} value={state.percent} aria-label={`Finding the rows: ${filter.label}`} />
        <p role="status">
          Reading {filter.input} again to find these rows: {state.percent} %. Only their places in the file
          are kept; the rows are read again as you scroll.
        </p>
      </div>
    );
  if (state.status === 'failed')
    return (
      <p className="error" role="alert">
        {state.message}
      </p>
    );
  const { found } = state;
  const rows = {
    ...index,
    count: found.count,
    rows: found.rows,
    offsets: found.offsets,
    issues: [],
  } satisfies FailingRowIndex;
  return (
    <RowsViewport
      index={rows}
      request={request}
      label={filter.label}
      caption={`${plural(found.count, 'row')}: ${filter.label}${
        (filter.kind === 'duplicates' || filter.kind === 'conflicts') && !filter.complete
          ? ' (the rows the report lists: it keeps the first keys and rows of each)'
          : ''
      }`}
    />
  );
}

/**
 * Whether waivers accept the problems of one failing row: "Accepted (owner)" when every problem of
 * it is accepted, else "Still failing"; the title names each waiver, its rows and its id (the
 * export's `acceptedBy`).
 */
function RowWaiverMark({
  report,
  waivers,
  stillFailing,
}: {
  report: Report;
  /** the waivers accepting a problem of the row */
  waivers: readonly string[];
  /** a problem of the row is accepted by no waiver */
  stillFailing: boolean;
}) {
  const waiverOf = (id: string) => report.waivers?.find((w) => w.waiver.id === id)?.waiver;
  const words = waivers
    .map((id) => {
      const waiver = waiverOf(id);
      return waiver ? `${describeWaiver(waiver)} (waiver ${id})` : `waiver ${id}`;
    })
    .join('; ');
  if (stillFailing)
    return (
      <span
        className="failing-row-waiver failing-row-still"
        data-testid="row-waiver"
        title={
          waivers.length > 0
            ? `Still failing: a problem of this row is accepted by no waiver. Accepted here: ${words}`
            : 'Still failing: no waiver accepts the problems of this row'
        }
      >
        Still failing
      </span>
    );
  const owners = [...new Set(waivers.map((id) => waiverOf(id)?.owner ?? id))];
  return (
    <span
      className="failing-row-waiver failing-row-accepted"
      data-testid="row-waiver"
      title={`Accepted: ${words}`}
    >
      Accepted ({owners.join(', ')})
    </span>
  );
}

function RowsViewport({
  index,
  positions,
  request,
  report,
  target,
  caption,
  label,
}: {
  index: FailingRowIndex;
  /** only these failing rows (positions in `index`), in this order */
  positions?: Uint32Array | undefined;
  request: ValidateRequest;
  /** the run's report: its examples give a mapped finding's exact source column for their rows */
  report?: Report | undefined;
  target?: RowTarget | undefined;
  /** what the list holds, in words (default: the failing rows of the file) */
  caption?: string;
  /** the list's name for assistive technology (default: "Failing rows of <file>") */
  label?: string;
}) {
  const viewport = useRef<HTMLElement>(null);
  /** the failing row (position in `index`) shown at list position `i` */
  const at = (i: number): number => (positions ? (positions[i] as number) : i);
  useEffect(() => {
    if (!target || !viewport.current) return;
    const failingAt = failingPosition(index.rows, target.row);
    const at = positions && failingAt >= 0 ? failingPosition(positions, failingAt) : failingAt;
    if (at < 0) return;
    viewport.current.scrollTop = at * ROW_HEIGHT;
    setFirst(at);
    viewport.current.scrollIntoView({ block: 'nearest' });
    viewport.current.focus({ preventScroll: true });
  }, [target, index.rows, positions]);
  const input = request.inputs.find((i) => i.name === index.input);
  const total = positions ? positions.length : index.count;
  const listed = Math.min(total, MAX_LISTED_ROWS);
  const [first, setFirst] = useState(0);
  const [loaded, setLoaded] = useState<Map<number, Loaded>>(() => new Map());
  const requested = useRef(new Set<number>());
  const [readFailed, setReadFailed] = useState(false);
  const mapping = input?.mapping?.mapping;
  const mapped = useMemo(() => mappedGroups(index, mapping, report), [index, mapping, report]);
  /** whether waivers accept each row's problems: only when one accepts a problem of this file */
  const acceptance = useMemo(() => {
    if (!report?.waivers || index.issues.length === 0) return undefined;
    const waived = { input: index.input, rows: index.rows, count: index.count, groups: index.issues };
    return waivedPositions(report, waived) ? rowAcceptance(report, waived) : undefined;
  }, [report, index]);
  const runner = useMemo(() => {
    if (!input?.contract) return undefined;
    try {
      return createPlanRunner(compilePlan(input.contract.schema), index.header);
    } catch {
      return undefined;
    }
  }, [input, index.header]);

  const visible = Math.ceil(VIEWPORT_HEIGHT / ROW_HEIGHT);
  const from = Math.max(0, first - OVERSCAN);
  const to = Math.min(listed, first + visible + OVERSCAN);

  useEffect(() => {
    if (!input) return;
    const wanted: number[] = [];
    for (let i = from; i < to; i++) if (!loaded.has(i) && !requested.current.has(i)) wanted.push(i);
    if (wanted.length === 0) return;
    for (const i of wanted) requested.current.add(i);
    // results are applied even after the view moved on: those rows stay requested until then
    readRowsInWorker(
      input.file,
      input.name,
      index.layout,
      wanted.map((i) => index.offsets[positions ? (positions[i] as number) : i] as number),
    ).then(
      (rows) => {
        for (const i of wanted) requested.current.delete(i);
        setLoaded((previous) => {
          const next = new Map(previous);
          wanted.forEach((i, k) => {
            const fields = rows[k] ?? null;
            let failingCells = new Set<number>();
            if (fields && runner && runner.check(fields) !== ROW_VALID)
              failingCells = new Set(runner.failures.map((f) => f.index).filter((n) => n >= 0));
            next.set(i, fields ? { fields, failing: failingCells } : null);
          });
          // keep the rows nearest the view
          if (next.size > CACHE_ROWS) {
            const centre = (from + to) / 2;
            const far = [...next.keys()].sort((a, b) => Math.abs(b - centre) - Math.abs(a - centre));
            for (const i of far.slice(0, next.size - CACHE_ROWS)) next.delete(i);
          }
          return next;
        });
      },
      () => {
        for (const i of wanted) requested.current.delete(i);
        setReadFailed(true);
      },
    );
  }, [from, to, input, index, loaded, runner, positions]);

  // a row chosen from the report is shown with its first marked cell in view: the list scrolls
  // sideways (a row is one line), and the cell to correct may be the 14th of 18 — once per choice
  const revealed = useRef<number | undefined>(undefined);
  useEffect(() => {
    const box = viewport.current;
    if (!target || revealed.current === target.seq || !box || loaded.size === 0) return;
    const cell = box.querySelector<HTMLElement>(`.failing-row[data-row="${target.row}"] .cell-bad`);
    if (!cell) return; // not read yet: tried again when it is
    revealed.current = target.seq;
    const left = cell.offsetLeft;
    const right = left + cell.offsetWidth;
    if (left < box.scrollLeft || right > box.scrollLeft + box.clientWidth)
      box.scrollLeft = Math.max(0, left - box.clientWidth / 3);
  }, [target, loaded]);

  const rows = [];
  for (let i = from; i < to; i++) {
    const row = loaded.get(i);
    const rowNumber = index.rows[at(i)] as number;
    const marked = row ? mappedCells(mapped, mapping, index.header, at(i), rowNumber) : undefined;
    /** the columns of the marked cells, named beside the row number */
    const badColumns: string[] = [];
    const cells = row
      ? row.fields.map((cell, c) => {
          const column = index.header[c] ?? '';
          const targets = marked?.get(c);
          const problem =
            row.failing.has(c) || targets ? cellProblem(column, row.failing.has(c), targets) : '';
          if (problem) badColumns.push(column || `column ${c + 1}`);
          return (
            // cells are positional and never reordered
            // biome-ignore lint/suspicious/noArrayIndexKey: positional cells
            <span key={c} className={problem ? 'cell cell-bad' : 'cell'} title={problem || column}>
              {problem ? <span className="visually-hidden">{problem}: </span> : null}
              {/* a cell over 1 MB is shown cut, with a marker, as in the exports */}
              {cell === '' ? '∅' : reportValue(cell)}
            </span>
          );
        })
      : null;
    rows.push(
      <li
        key={i}
        className={target?.row === rowNumber ? 'failing-row failing-row-target' : 'failing-row'}
        data-row={rowNumber}
      >
        <span className="failing-row-number">Row {formatCount(rowNumber)}</span>
        {acceptance && report && <RowWaiverMark report={report} {...acceptance(at(i))} />}
        {badColumns.length > 0 && (
          // what to correct, in view as the list opens: a marked cell may be the 14th of 18, off to
          // the right of a phone's screen (each marked cell says it to a screen reader itself)
          <span className="failing-row-columns" aria-hidden="true" title={badColumns.join(', ')}>
            {badColumns.join(', ')}
          </span>
        )}
        {row === undefined ? (
          <span className="hint">reading…</span>
        ) : row === null ? (
          <span className="hint">this row can no longer be read from the file</span>
        ) : (
          cells
        )}
      </li>,
    );
  }

  return (
    <>
      <p>
        {caption ?? `${formatCount(total)} ${positions ? 'of the ' : ''}failing rows in ${index.input}`}
        {total > listed ? `; the first ${formatCount(listed)} are listed` : ''}. Rows are read from the file
        as you scroll; cells that break the column contract
        {mapping ? ', or that do not make a valid field of the new record through the mapping,' : ''} are
        marked.
      </p>
      {index.header.length > 0 && <p className="hint">Columns: {index.header.join(' · ')}</p>}
      {readFailed && (
        <p className="error" role="alert">
          Some rows could not be read again. The file may have changed or moved since the check; choose it
          again and validate.
        </p>
      )}
      <section
        ref={viewport}
        className="failing-viewport"
        aria-label={`${label ?? `Failing rows of ${index.input}`}, scrollable`}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus so keyboard users can scroll it
        tabIndex={0}
        style={{ height: VIEWPORT_HEIGHT }}
        onScroll={(event) => setFirst(Math.floor(event.currentTarget.scrollTop / ROW_HEIGHT))}
      >
        <div style={{ height: listed * ROW_HEIGHT, position: 'relative' }}>
          <ol className="failing-list" style={{ transform: `translateY(${from * ROW_HEIGHT}px)` }}>
            {rows}
          </ol>
        </div>
      </section>
    </>
  );
}
