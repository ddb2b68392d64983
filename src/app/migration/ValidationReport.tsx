import { type ReactNode, useEffect, useId, useRef, useState } from 'react';
import type { FailingRowIndex, ValidateRequest } from '../../../workers/validateApi.ts';
import {
  acceptingWaiver,
  acceptsDerived,
  describeFhirRun,
  exampleTrace,
  issueInput,
  issuePattern,
  issueTimes,
  issueWhat,
  issueWhere,
  recordShare,
  redactReport,
  reportCsv,
  reportHtml,
  runOutcome,
  stoppedAtWords,
} from '../../core/validation/index.ts';
import type { IssueExample, Report, ReportIssue } from '../../formats/report.ts';
import { downloadText } from '../common/download.ts';
import { formatCount, plural } from '../common/format.ts';
import { TableScroll } from '../common/TableScroll.tsx';
import { DownloadWaivers, IssueWaiver, useWaivedReport, WaiverSummary } from './AcceptedIssues.tsx';
import { useTracedReport } from './dataTrace.tsx';
import { FailingRowsExport } from './FailingRowsExport.tsx';
import {
  FailingRowsList,
  failingPosition,
  filterPositions,
  filterRowCount,
  type IssueFilter,
  listFilters,
  type RowTarget,
} from './FailingRowsList.tsx';
import { NotCheckedList } from './NotCheckedList.tsx';
import { NotReadList } from './NotReadList.tsx';
import { ColumnProfiles } from './ProfileCharts.tsx';
import { useWithComparison } from './rehearsalReports.tsx';
import { UsedBy } from './UsedBy.tsx';

const EXAMPLES_SHOWN = 20;
const SEVERITY_NAMES: Record<ReportIssue['severity'], string> = {
  fatal: 'Blocking',
  error: 'Error',
  warning: 'Warning',
  information: 'Note',
};

/** What the contract of `file` says about `column` (its description), when the run's contract is at hand. */
function expectation(
  request: ValidateRequest | undefined,
  file: string | undefined,
  column: string,
): string | undefined {
  const schema = request?.inputs.find((i) => i.name === file)?.contract?.schema;
  const properties = schema?.properties;
  if (!properties || typeof properties !== 'object') return undefined;
  const property = (properties as Record<string, unknown>)[column];
  const description =
    property && typeof property === 'object'
      ? (property as { description?: unknown }).description
      : undefined;
  return typeof description === 'string' ? description : undefined;
}

/** The records an issue's share is of: its file's, when all its examples come from one file. */
const fileOf = issueInput;

/** A file name for exports: "validation-2026-01-02T03-04-05.csv". */
function exportName(report: Report, extension: string): string {
  return `validation-${report.generatedAt.slice(0, 19).replaceAll(':', '-')}.${extension}`;
}

/**
 * The result of a validation: scorecard, problems grouped by rule and column with their first
 * examples, checks across records and files, column profiles, every failing row (re-read from the
 * files on demand; only with the files at hand), exports and saving into the project.
 */
export function ValidationReport({
  report: given,
  failing,
  request,
  onSave,
  saved = false,
  kept,
  onOpenExample,
}: {
  report: Report;
  /** failing rows of each file (absent for a saved report: its files are not at hand) */
  failing?: readonly FailingRowIndex[] | undefined;
  request?: ValidateRequest | undefined;
  onSave?: ((report: Report) => Promise<void>) | undefined;
  /** the report is one stored in the project */
  saved?: boolean;
  /** the run is being kept in the project on its own (settles once stored): the save button follows it */
  kept?: Promise<void> | undefined;
  /** opens an example at its location (FHIR: the resource re-read from its file); absent: no button */
  onOpenExample?: ((example: IssueExample) => void) | undefined;
}) {
  // the project's accepted issues (waivers), applied today: shown, exported and saved with the report
  // and what depends on each failing issue, from the project's data dictionary
  const report = useTracedReport(useWaivedReport(given));
  /**
   * A report of FHIR files: issues sit at element locations of resources, not in columns of rows.
   * A CSV mapped to an R4 resource type (the report names its mapping) is still rows and columns.
   */
  const fhir = report.target?.type === 'fhir' && report.mapping === undefined;
  /** the options a FHIR run was made with, in words */
  const fhirRun = describeFhirRun(report.target);
  const [hideValues, setHideValues] = useState(false);
  const [rowTarget, setRowTarget] = useState<RowTarget | undefined>(undefined);
  const [issueFilter, setIssueFilter] = useState<IssueFilter | undefined>(undefined);
  /** the label of the drill-down's "Show" choice, for its heading (undefined: every failing row) */
  const [rowsView, setRowsView] = useState<string | undefined>(undefined);
  const rowsRef = useRef<HTMLHeadingElement>(null);
  /** the drill-down's filter for an issue, when its failing rows are known */
  const filterFor = (issue: ReportIssue, file: string | undefined): IssueFilter | undefined => {
    const input = file ?? report.inputs[0]?.name;
    if (!failing || !request || input === undefined) return undefined;
    const filter = { input, rule: issue.rule, location: issue.location };
    if (filterRowCount(failing, filter) === 0) return undefined;
    return { ...filter, label: `${issue.location || 'whole row'}: ${issue.message ?? issue.rule}` };
  };
  /** Whether an example's row is in the drill-down (it failed and its file is at hand). */
  const canShow = (input: string | undefined, row: number | undefined): boolean => {
    const index = failing?.find((f) => f.input === (input ?? report.inputs[0]?.name));
    return index !== undefined && row !== undefined && failingPosition(index.rows, row) >= 0;
  };
  const showRow = (input: string | undefined, row: number) => {
    const name = input ?? report.inputs[0]?.name ?? '';
    // a row outside the listed issue's rows: list every failing row again so it can be shown
    if (issueFilter && failing) {
      const positions = filterPositions(failing, issueFilter);
      const index = failing.find((f) => f.input === name);
      const at = index ? failingPosition(index.rows, row) : -1;
      if (issueFilter.input !== name || !positions || failingPosition(positions, at) < 0)
        setIssueFilter(undefined);
    }
    setRowTarget((t) => ({ input: name, row, seq: (t?.seq ?? 0) + 1 }));
  };
  const [saveState, setSaveState] = useState<'idle' | 'saving' | 'saved' | 'failed'>(
    saved ? 'saved' : 'idle',
  );
  useEffect(() => {
    if (!kept) return;
    let current = true;
    setSaveState('saving');
    kept.then(
      () => current && setSaveState('saved'),
      () => current && setSaveState('failed'),
    );
    return () => {
      current = false;
    };
  }, [kept]);
  const redactId = useId();
  const s = report.summary;
  const withComparison = useWithComparison();
  // exports carry the comparison with the previous run of the same check, as the CLI's --compare
  const exported = () => withComparison(hideValues && !report.redacted ? redactReport(report) : report);
  const crossCount =
    report.crossFile.duplicateKeys.length +
    report.crossFile.orphanReferences.length +
    (report.crossFile.conflictingRecords?.length ?? 0);

  // each result is a landmark of its own, named by its files: a CSV check's and a FHIR run's may be
  // on screen together, and two landmarks with one name cannot be told apart by a screen reader
  const files = report.inputs.map((i) => i.name).join(', ');
  return (
    <section aria-label={`Validation result: ${files}`} className="validation-report">
      {/* focusable from script: a finished run moves keyboard focus here (CheckExtracts) */}
      <h4 tabIndex={-1}>Result</h4>
      <p data-testid="run-outcome">
        <strong>{runOutcome(report)}</strong>
      </p>
      <dl className="scorecard" aria-label="Scorecard">
        <div>
          <dt>Records</dt>
          <dd data-testid="score-records">{formatCount(s.records)}</dd>
        </div>
        <div className="score-ok">
          <dt>Valid</dt>
          <dd data-testid="score-valid">{formatCount(s.valid)}</dd>
        </div>
        <div className={s.invalid > 0 ? 'score-bad' : ''}>
          <dt>Invalid</dt>
          <dd data-testid="score-invalid">{formatCount(s.invalid)}</dd>
        </div>
        {/* records whose file's header did not match its contract: nothing checked their cells */}
        {s.unchecked ? (
          <div className="score-warn">
            <dt>Not checked</dt>
            <dd data-testid="score-unchecked">{formatCount(s.unchecked)}</dd>
          </div>
        ) : null}
        <div className={s.errors > 0 ? 'score-bad' : ''}>
          <dt>Errors</dt>
          <dd data-testid="score-errors">{formatCount(s.errors)}</dd>
        </div>
        <div className={s.warnings > 0 ? 'score-warn' : ''}>
          <dt>Warnings</dt>
          <dd data-testid="score-warnings">{formatCount(s.warnings)}</dd>
        </div>
      </dl>
      <WaiverSummary report={report} />
      <TableScroll label={`Files checked (${files}), scrollable`}>
        <table className="wide">
          <caption>Files checked</caption>
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Records</th>
              <th scope="col">Invalid</th>
              <th scope="col">Read as</th>
              <th scope="col">Contract</th>
              <th scope="col">Fingerprint (SHA-256)</th>
            </tr>
          </thead>
          <tbody>
            {report.inputs.map((i) => (
              <tr key={i.name} data-testid={`file-${i.name}`}>
                <th scope="row">{i.name}</th>
                <td>{i.stoppedAt ? sentence(stoppedAtWords(i.stoppedAt)) : formatCount(i.records)}</td>
                <td data-testid="file-invalid">
                  {formatCount(i.invalid ?? 0)}
                  {i.unchecked
                    ? ` (${formatCount(i.unchecked)} not checked: the columns do not match the contract)`
                    : ''}
                </td>
                <td>
                  {i.kind === 'ndjson' ? (
                    'FHIR NDJSON, UTF-8'
                  ) : i.fileFormat === 'parquet' ? (
                    'Parquet'
                  ) : i.kind === 'fhir-json' ? (
                    'FHIR JSON, UTF-8'
                  ) : (
                    <>
                      {i.encoding}, {i.delimiter === '\t' ? 'tab' : `"${i.delimiter}"`}, {i.lineEnding}
                    </>
                  )}
                </td>
                <td>{i.schema ?? (i.kind === 'ndjson' || i.kind === 'fhir-json' ? 'FHIR R4' : 'none')}</td>
                <td>
                  {i.sha256 === undefined ? (
                    'not computed'
                  ) : (
                    <code className="fingerprint" data-testid="file-sha256">
                      {i.sha256}
                    </code>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {fhirRun && (
        <p className="fhir-run-options" data-testid="fhir-run-options">
          {fhirRun}
        </p>
      )}
      <NotCheckedList report={report} />
      <NotReadList report={report} />

      <div className="row export-row">
        <label>
          <input
            id={redactId}
            type="checkbox"
            checked={hideValues || report.redacted === true}
            disabled={report.redacted === true}
            onChange={(e) => setHideValues(e.currentTarget.checked)}
          />{' '}
          Hide values in exports
        </label>
        <button
          type="button"
          onClick={() => downloadText(exportName(report, 'json'), `${JSON.stringify(exported(), null, 2)}\n`)}
        >
          Export JSON
        </button>
        <button
          type="button"
          onClick={() => downloadText(exportName(report, 'csv'), reportCsv(exported()), 'text/csv')}
        >
          Export CSV
        </button>
        <button
          type="button"
          onClick={() => downloadText(exportName(report, 'html'), reportHtml(exported()), 'text/html')}
        >
          Export printable page
        </button>
        <DownloadWaivers />
        {onSave && (
          <button
            type="button"
            disabled={saveState === 'saving' || saveState === 'saved'}
            onClick={() => {
              setSaveState('saving');
              onSave(report).then(
                () => setSaveState('saved'),
                () => setSaveState('failed'),
              );
            }}
          >
            {saveState === 'saved' ? 'Saved in the project' : 'Save in the project'}
          </button>
        )}
        {saveState === 'saved' && !saved && (
          <span role="status" className="save-status save-saved">
            Report saved in the project.
          </span>
        )}
        {saveState === 'failed' && (
          <span role="alert" className="save-status save-error">
            The report could not be saved. The message at the top of the page says why.
          </span>
        )}
      </div>

      {failing && request && (
        <FailingRowsExport
          report={report}
          failing={failing}
          request={request}
          redact={hideValues || report.redacted === true}
        />
      )}

      <h4>{fhir ? 'Problems by rule and location' : 'Problems by rule and column'}</h4>
      {report.issues.length === 0 ? (
        <p>No problems found in the rows.</p>
      ) : (
        <ul className="issue-list">
          {report.issues.map((issue) => (
            <IssueItem
              // a problem split by a waiver's rows is listed twice: the part inside and the part outside
              key={`${issue.rule}|${issue.location}|${fileOf(report, issue).file ?? ''}|${issue.acceptedBy ?? ''}|${issue.splitBy ?? ''}`}
              issue={issue}
              {...fileOf(report, issue)}
              expected={issue.description ?? expectation(request, fileOf(report, issue).file, issue.location)}
              canShow={failing && request ? canShow : undefined}
              onShow={showRow}
              filter={filterFor(issue, fileOf(report, issue).file)}
              filtered={
                issueFilter?.rule === issue.rule &&
                issueFilter.location === issue.location &&
                issueFilter.input === (fileOf(report, issue).file ?? report.inputs[0]?.name)
              }
              onFilter={(filter) => {
                setIssueFilter(filter);
                // the list is further down: bring it into view, as choosing an example row does
                requestAnimationFrame(() => rowsRef.current?.scrollIntoView({ block: 'start' }));
              }}
              fhir={fhir}
              onOpenExample={onOpenExample}
              stillFailing={
                // under an accepted problem, a message that follows from it is accepted only by a
                // waiver of its own: the others still fail the check
                acceptingWaiver(report, issue)
                  ? (issue.derived ?? []).map(
                      (d) =>
                        (d.severity === 'error' || d.severity === 'fatal') &&
                        !acceptsDerived(report, issue, d),
                    )
                  : undefined
              }
              waiver={
                <IssueWaiver
                  issue={issue}
                  report={report}
                  where={`${issueWhere({ rule: issue.rule, location: issue.location }, fhir)}: ${issue.message ?? issue.rule}${issue.splitBy ? (issue.acceptedBy ? ' (in the accepted rows)' : ' (outside the accepted rows)') : ''}`}
                />
              }
            />
          ))}
        </ul>
      )}

      {!fhir && (
        <>
          <h4>Across records and files</h4>
          {crossCount === 0 ? (
            <p>No repeated keys, missing references or conflicting details.</p>
          ) : (
            <CrossFile report={report} />
          )}

          <h4>Columns</h4>
          <ColumnProfiles profiles={report.profiles} redacted={report.redacted === true} />
        </>
      )}

      {saved && report.summary.invalid > 0 && (
        <p className="hint">
          A saved report keeps counts and the first examples. To list every failing row, choose the files
          again and validate: the files are read on this computer and never stored.
        </p>
      )}
      {failing &&
        request &&
        (failing.some((f) => f.count > 0) || listFilters(report, request).length > 0) && (
          <>
            <h4 ref={rowsRef} tabIndex={-1}>
              {issueFilter ? 'Failing rows with one problem' : (rowsView ?? 'Every failing row')}
            </h4>
            <FailingRowsList
              failing={failing}
              request={request}
              report={report}
              target={rowTarget}
              filter={issueFilter}
              onClearFilter={() => setIssueFilter(undefined)}
              onView={setRowsView}
            />
          </>
        )}
    </section>
  );
}

function IssueItem({
  issue,
  records,
  file,
  expected,
  canShow,
  onShow,
  filter,
  filtered = false,
  onFilter,
  fhir = false,
  onOpenExample,
  waiver,
  stillFailing,
}: {
  /** the problem's acceptance (waiver): its mark and buttons */
  waiver?: ReactNode;
  /** for each message folded under an accepted problem, whether no waiver accepts it (it still fails) */
  stillFailing?: readonly boolean[] | undefined;
  /** the drill-down's filter for this issue (absent: its rows are not listed) */
  filter?: IssueFilter | undefined;
  /** the drill-down shows only this issue's rows */
  filtered?: boolean;
  onFilter?: (filter: IssueFilter | undefined) => void;
  issue: ReportIssue;
  records: number;
  file?: string;
  expected?: string | undefined;
  /** whether an example's row can be shown in the drill-down (absent: no drill-down) */
  canShow?: ((input: string | undefined, row: number | undefined) => boolean) | undefined;
  onShow?: (input: string | undefined, row: number) => void;
  fhir?: boolean;
  onOpenExample?: ((example: IssueExample) => void) | undefined;
}) {
  const examples = issue.examples.slice(0, EXAMPLES_SHOWN);
  // rows mapped to a target (FHIR or a schema): where in the mapped record, beside the source column
  const mapped = !fhir && examples.some((e) => e.path !== undefined);
  // where a finding on a mapped record comes from in the mapping: the field, its column(s), its
  // transform, or that no field fills the element; each distinct one once, in order of the rows
  const traces = mapped ? examples.map(exampleTrace) : [];
  const traced = [...new Set(traces.filter((t): t is string => t !== undefined))];
  // said once above the examples when they all share it; beside each row when they differ
  const tracePerRow = traced.length > 1;
  // a pattern is said in words on the summary line (staff read it; few read a regular expression)
  // and shown as it is in the details, beside what the agreed layout says
  // the words every export writes too (core issueWords.ts)
  const pattern = issuePattern(issue);
  const what = issueWhat(issue);
  const where = issueWhere(issue, fhir);
  // messages folded under this problem as their root cause: fixing it clears them too
  const derived = issue.derived ?? [];
  const followers = derived.reduce((n, d) => n + d.count, 0);
  const failingFollowers = derived.reduce((n, d, at) => n + (stillFailing?.[at] ? d.count : 0), 0);
  return (
    <li className={`issue issue-${issue.severity}${issue.acceptedBy ? ' issue-accepted' : ''}`}>
      <details>
        <summary>
          <span className="issue-severity">{SEVERITY_NAMES[issue.severity]}</span> <strong>{where}</strong>
          {file ? ` in ${file}` : ''}: {what} —{' '}
          {/* the words of issueExtent, the count apart for the tests that read it */}
          <span data-testid="issue-count">{issueTimes(issue.count)}</span>
          {issue.records !== undefined && ` in ${recordShare(issue.records, records)}`}
          {followers > 0 && (
            <span data-testid="issue-derived">
              {' '}
              (and {formatCount(followers)} more {followers === 1 ? 'message follows' : 'messages follow'}{' '}
              from it
              {failingFollowers > 0 &&
                (failingFollowers === followers
                  ? `, not accepted: ${followers === 1 ? 'it still fails' : 'they still fail'}`
                  : `, ${formatCount(failingFollowers)} of them not accepted: they still fail`)}
              )
            </span>
          )}
        </summary>
        {expected && <p>The agreed layout says: {expected}</p>}
        {traced.length > 0 && (
          <p data-testid="issue-trace">
            Where it comes from in the mapping: {traced.slice(0, 3).join('; ')}
            {traced.length > 3 ? ` (and ${formatCount(traced.length - 3)} more)` : ''}.
          </p>
        )}
        {pattern !== undefined && (
          <p className="hint">
            Checked with the pattern <code>{pattern}</code>
          </p>
        )}
        <p className="hint">
          Rule <code>{issue.rule}</code>.{' '}
          {examples.length < issue.count ? `First ${examples.length} shown.` : ''}
        </p>
        {derived.length > 0 && (
          <>
            <p>These messages follow from this problem and go away when it is fixed:</p>
            <ul className="issue-derived" aria-label={`Messages that follow from ${where}`}>
              {derived.map((d, at) => (
                <li key={`${d.rule}|${d.location}|${d.message ?? ''}`}>
                  <strong>{d.location || 'whole file'}</strong>: {d.message ?? d.rule} — {issueTimes(d.count)}
                  {stillFailing?.[at] ? ' — not accepted: it still fails the check' : ''}
                </li>
              ))}
            </ul>
          </>
        )}
        {filter && onFilter && (
          <p>
            <button
              type="button"
              aria-pressed={filtered}
              onClick={() => onFilter(filtered ? undefined : filter)}
            >
              List only the rows with this problem
            </button>
          </p>
        )}
        {examples.length > 0 && (
          <TableScroll label={`Examples of ${where}: ${what}, scrollable`}>
            <table>
              <caption>Examples</caption>
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col">{fhir ? 'Line' : 'Row'}</th>
                  <th scope="col">{fhir ? 'Location' : 'Column'}</th>
                  {mapped && <th scope="col">In the mapped record</th>}
                  {tracePerRow && <th scope="col">From the mapping</th>}
                  <th scope="col">Value</th>
                </tr>
              </thead>
              <tbody>
                {examples.map((e, i) => (
                  // examples have no id; their order is the report's and never changes
                  // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list
                  <tr key={i}>
                    <td>{e.input ?? ''}</td>
                    <td>
                      {e.row === undefined ? (
                        'header'
                      ) : canShow?.(e.input, e.row) && onShow ? (
                        <button
                          type="button"
                          className="link-button"
                          onClick={() => onShow(e.input, e.row as number)}
                        >
                          Row {formatCount(e.row)}
                        </button>
                      ) : (
                        formatCount(e.row)
                      )}
                    </td>
                    <td>
                      {onOpenExample && e.row !== undefined ? (
                        <button type="button" className="link-button" onClick={() => onOpenExample(e)}>
                          Open {e.column || `line ${formatCount(e.row)}`}
                        </button>
                      ) : (
                        (e.column ?? '')
                      )}
                    </td>
                    {mapped && <td>{e.path === undefined ? '' : <code>{e.path}</code>}</td>}
                    {tracePerRow && <td>{traces[i] ?? ''}</td>}
                    <td>
                      {e.value === undefined ? (
                        <span className="hint">hidden or none</span>
                      ) : (
                        <code>{e.value}</code>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
      </details>
      <UsedBy usedBy={issue.usedBy} where={where} />
      {waiver}
    </li>
  );
}

function CrossFile({ report }: { report: Report }) {
  const { duplicateKeys, orphanReferences, conflictingRecords = [], duplicateTotals = [] } = report.crossFile;
  const byColumn = new Map<
    string,
    { input: string; column: string; keys: number; records: number; listed: number }
  >();
  for (const d of duplicateKeys) {
    const k = `${d.input}|${d.column ?? ''}`;
    const seen = byColumn.get(k) ?? {
      input: d.input,
      column: d.column ?? 'whole row',
      keys: 0,
      records: 0,
      listed: 0,
    };
    seen.keys++;
    seen.listed++;
    seen.records += d.count;
    byColumn.set(k, seen);
  }
  // the totals count every repeated key: the list above holds the first ones only
  for (const t of duplicateTotals) {
    const seen = byColumn.get(`${t.input}|${t.column ?? ''}`);
    if (!seen || t.keys <= seen.keys) continue;
    seen.keys = t.keys;
    seen.records = t.records + t.keys;
  }
  const conflicts = new Map<string, number>();
  for (const c of conflictingRecords) {
    const k = `${c.input}|${c.column}`;
    conflicts.set(k, (conflicts.get(k) ?? 0) + 1);
  }
  return (
    <ul className="cross-file">
      {[...byColumn.values()].map((d) => (
        <li key={`dup|${d.input}|${d.column}`} data-testid="duplicate-keys">
          <strong>Repeated keys</strong> in {d.input}, column {d.column}:{' '}
          <span data-testid="duplicate-key-count">{formatCount(d.keys)}</span>{' '}
          {d.keys === 1 ? 'value is' : 'values are'} shared by {formatCount(d.records)} records.
          <details>
            <summary>
              {d.listed < d.keys ? `Which rows (the first ${formatCount(d.listed)} values)` : 'Which rows'}
            </summary>
            <ul>
              {duplicateKeys
                .filter((x) => x.input === d.input && (x.column ?? 'whole row') === d.column)
                .map((x) => (
                  <li key={x.rows.join(',')}>
                    {x.key === undefined ? '' : <code>{x.key}</code>} rows{' '}
                    {x.rows.map(formatCount).join(', ')}
                  </li>
                ))}
            </ul>
          </details>
        </li>
      ))}
      {orphanReferences.map((o) => (
        <li key={`orphan|${o.input}|${o.column}|${o.target}`} data-testid="orphans">
          <strong>References to missing records</strong>: {o.input}, column {o.column}:{' '}
          <span data-testid="orphan-count">{formatCount(o.count)}</span> rows name a record not found in{' '}
          {o.target.replace('#', ', column ')}.
          {o.examples.length > 0 && (
            <details>
              <summary>First rows</summary>
              <ul>
                {o.examples.map((e) => (
                  <li key={e.row}>
                    row {formatCount(e.row ?? 0)}
                    {e.value === undefined ? '' : <code> {e.value}</code>}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </li>
      ))}
      {[...conflicts.entries()].map(([k, n]) => {
        const [input, column] = k.split('|');
        // the compared columns that differ, in the order the records name them
        const differing = [
          ...new Set(
            conflictingRecords
              .filter((c) => c.input === input && c.column === column)
              .flatMap((c) => c.columns),
          ),
        ];
        return (
          <li key={`conflict|${k}`} data-testid="conflicts">
            <strong>One identifier, different people</strong>: in {input}, {plural(n, 'value')} of {column}{' '}
            belong to records that differ in {differing.join(', ')}.
            <details>
              <summary>Which rows</summary>
              <ul>
                {conflictingRecords
                  .filter((c) => c.input === input && c.column === column)
                  .map((c) => (
                    <li key={c.rows.join(',')}>
                      {c.key === undefined ? '' : <code>{c.key}</code>} rows{' '}
                      {c.rows.map(formatCount).join(', ')} differ in {c.columns.join(', ')}
                    </li>
                  ))}
              </ul>
            </details>
          </li>
        );
      })}
    </ul>
  );
}

/** Words that open a table cell start with a capital. */
function sentence(words: string): string {
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}`;
}
