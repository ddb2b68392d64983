/**
 * Reconcile's result on the FHIR server panel: the counts, then every patient to look at (missing
 * on the server, only on the server, a field that differs, a repeated identifier) with the file's
 * row, the server's record id and, for a field that differs, its value in the file and on the
 * server, in pages, narrowed by problem or identifier, and exported as CSV or JSON
 * (src/fhir/reconcileList.ts), with or without the values.
 */
import { useId, useMemo, useState } from 'react';
import type { ReconcileResult } from '../../fhir/reconcile.ts';
import {
  filterLines,
  PROBLEM_WORDS,
  problemTallies,
  RECONCILE_PROBLEMS,
  type ReconcileProblem,
  reconcileCsv,
  reconcileExport,
  reconcileLines,
} from '../../fhir/reconcileList.ts';
import { downloadText } from '../common/download.ts';
import { formatCount, plural } from '../common/format.ts';
import { TableScroll } from '../common/TableScroll.tsx';

/** Patients listed per page. */
export const RECONCILE_PAGE_SIZE = 50;

/** What was reconciled, for the exports. */
export interface ReconcileAbout {
  /** the server's origin */
  server: string;
  /** the legacy file's name */
  file: string;
  generatedAt: string;
}

export function ReconcileList({ result, about }: { result: ReconcileResult; about: ReconcileAbout }) {
  const ids = { show: useId(), search: useId(), title: useId(), hide: useId() };
  const lines = useMemo(() => reconcileLines(result), [result]);
  const tallies = problemTallies(result);
  const [problem, setProblem] = useState<ReconcileProblem | undefined>(undefined);
  const [search, setSearch] = useState('');
  const [page, setPage] = useState(0);
  const [hideValues, setHideValues] = useState(false);
  const shown = useMemo(() => filterLines(lines, problem, search), [lines, problem, search]);
  const pages = Math.max(1, Math.ceil(shown.length / RECONCILE_PAGE_SIZE));
  const at = Math.min(page, pages - 1);
  const slice = shown.slice(at * RECONCILE_PAGE_SIZE, (at + 1) * RECONCILE_PAGE_SIZE);
  const stamp = about.generatedAt.slice(0, 19).replaceAll(':', '-');
  const first = at * RECONCILE_PAGE_SIZE + 1;
  const range =
    shown.length === 0
      ? 'none'
      : `${formatCount(first)}–${formatCount(first + slice.length - 1)} of ${formatCount(shown.length)}`;

  return (
    <section aria-labelledby={ids.title} className="reconcile">
      <TableScroll label="Reconcile counts, scrollable">
        <table>
          <caption>
            Reconcile: {formatCount(result.matched)} patients matched by identifier (
            {plural(result.extract.records, 'row')} in {about.file},{' '}
            {plural(result.server.records, 'patient')} on the server)
          </caption>
          <tbody>
            {RECONCILE_PROBLEMS.map((p) => (
              <tr key={p}>
                <th scope="row">{PROBLEM_WORDS[p]}</th>
                <td>{formatCount(tallies[p].count)}</td>
              </tr>
            ))}
            {result.extract.withoutIdentifier > 0 && (
              <tr>
                <th scope="row">Rows in the file without an identifier (not compared)</th>
                <td>{formatCount(result.extract.withoutIdentifier)}</td>
              </tr>
            )}
            {result.server.withoutIdentifier > 0 && (
              <tr>
                <th scope="row">Patients on the server without that identifier (not compared)</th>
                <td>{formatCount(result.server.withoutIdentifier)}</td>
              </tr>
            )}
          </tbody>
        </table>
      </TableScroll>
      <h4 id={ids.title}>Patients to look at</h4>
      {lines.length === 0 ? (
        <p>Every patient in the file is on the server with the same name, birth date and sex.</p>
      ) : (
        <>
          <p className="hint">
            One line per patient and problem. The row leads to the patient in {about.file}, the record id to
            the patient on the server; for a field that differs, both values are shown as compared.
          </p>
          <div className="row">
            <label htmlFor={ids.show}>Show</label>
            <select
              id={ids.show}
              value={problem ?? ''}
              onChange={(e) => {
                setProblem((e.target.value || undefined) as ReconcileProblem | undefined);
                setPage(0);
              }}
            >
              <option value="">Every problem ({formatCount(lines.length)})</option>
              {RECONCILE_PROBLEMS.filter((p) => tallies[p].count > 0).map((p) => (
                <option key={p} value={p}>
                  {PROBLEM_WORDS[p]} ({formatCount(tallies[p].count)})
                </option>
              ))}
            </select>
            <label htmlFor={ids.search}>Identifier contains</label>
            <input
              autoComplete="off"
              id={ids.search}
              type="search"
              value={search}
              onChange={(e) => {
                setSearch(e.target.value);
                setPage(0);
              }}
            />
          </div>
          <TableScroll label="Patients to look at, scrollable">
            <table className="wide">
              <caption>Patients to look at: {range}</caption>
              <thead>
                <tr>
                  <th scope="col">Identifier</th>
                  <th scope="col">Problem</th>
                  <th scope="col">Row in the file</th>
                  <th scope="col">Record on the server</th>
                  <th scope="col">In the file</th>
                  <th scope="col">On the server</th>
                </tr>
              </thead>
              <tbody>
                {slice.map((l) => (
                  <tr key={`${l.problem}|${l.identifier}|${l.row ?? ''}|${l.id ?? ''}`}>
                    <th scope="row">{l.identifier}</th>
                    <td>{PROBLEM_WORDS[l.problem]}</td>
                    <td>{l.row === undefined ? '—' : formatCount(l.row)}</td>
                    <td>{l.id === undefined ? '—' : `Patient/${l.id}`}</td>
                    <td>{l.file ?? (l.problem.endsWith('-differs') ? 'none' : '—')}</td>
                    <td>{l.server ?? (l.problem.endsWith('-differs') ? 'none' : '—')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          {pages > 1 && (
            <nav className="row" aria-label="Pages of patients to look at">
              <button type="button" disabled={at === 0} onClick={() => setPage(at - 1)}>
                Previous page
              </button>
              <span>
                Page {at + 1} of {pages}
              </span>
              <button type="button" disabled={at >= pages - 1} onClick={() => setPage(at + 1)}>
                Next page
              </button>
            </nav>
          )}
          <div className="row export-row">
            <span>Every patient above, whatever is shown, with the counts:</span>
            <label htmlFor={ids.hide}>
              <input
                id={ids.hide}
                type="checkbox"
                checked={hideValues}
                onChange={(e) => setHideValues(e.target.checked)}
              />{' '}
              Hide the differing values in exports
            </label>
            <button
              type="button"
              onClick={() =>
                downloadText(
                  `reconcile-${stamp}.csv`,
                  reconcileCsv(lines, { hideValues }),
                  'text/csv;charset=utf-8',
                )
              }
            >
              Export the list (CSV)
            </button>
            <button
              type="button"
              onClick={() =>
                downloadText(
                  `reconcile-${stamp}.json`,
                  `${JSON.stringify(reconcileExport(result, about, { hideValues }), null, 2)}\n`,
                )
              }
            >
              Export the list (JSON)
            </button>
          </div>
        </>
      )}
    </section>
  );
}
