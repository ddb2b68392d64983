/**
 * Accepted issues (waivers) on the Migration screen: the project's waivers, applied to every
 * report shown (`useWaivedReport`), the line under the scorecard that says what they accepted,
 * and, on each problem, its mark ("Accepted until …, owner …") with the form that records, edits
 * or removes a waiver. A waiver needs a rationale, an owner and an expiry day: the form saves
 * nothing without all three. "Download waivers" writes the list as the file the CLI reads. The list lives in the project (`meta.settings.waivers`), so it
 * survives a reload and travels with a project export.
 */
import { createContext, type ReactNode, useContext, useId, useMemo, useState } from 'react';
import type { ProjectChange } from '../../core/project/changes.ts';
import {
  acceptedErrors,
  acceptingWaiver,
  applyWaivers,
  countedWithin,
  failingErrors,
  indexWaivers,
  localDay,
  waiverExpired,
  waiversIndexed,
} from '../../core/validation/index.ts';
import type { Project } from '../../formats/project.ts';
import type { Report, ReportIssue, ReportWaiver } from '../../formats/report.ts';
import {
  checkWaiver,
  createWaiversFile,
  PROJECT_WAIVERS_KEY,
  readProjectWaivers,
  type Waiver,
} from '../../formats/waivers.ts';
import { downloadText } from '../common/download.ts';
import { formatCount, plural } from '../common/format.ts';
import { ConflictBeside } from '../team/RecordConflict.tsx';
import { parseRows, rowsText } from './waiverRows.ts';
import './rehearsals.css';

interface WaiversValue {
  waivers: readonly Waiver[];
  /** the user's calendar day, YYYY-MM-DD */
  today: string;
  /** records or replaces (by id) a waiver; absent when the project cannot be changed */
  put?: ((waiver: Waiver) => void) | undefined;
  remove?: ((id: string) => void) | undefined;
}

const WaiversContext = createContext<WaiversValue | null>(null);

/** Gives the screens below it the project's waivers and, with `dispatch`, the means to change them. */
export function WaiversProvider({
  project,
  dispatch,
  children,
}: {
  project: Project;
  dispatch?: ((change: ProjectChange) => void) | undefined;
  children: ReactNode;
}) {
  const settings = project.meta.settings;
  const value = useMemo((): WaiversValue => {
    const { waivers } = readProjectWaivers(settings);
    const save = (next: Waiver[]) =>
      dispatch?.({ type: 'project/settings', settings: { ...settings, [PROJECT_WAIVERS_KEY]: next } });
    return {
      waivers,
      today: localDay(new Date()),
      put: dispatch
        ? (waiver) =>
            save(
              waivers.some((w) => w.id === waiver.id)
                ? waivers.map((w) => (w.id === waiver.id ? waiver : w))
                : [...waivers, waiver],
            )
        : undefined,
      remove: dispatch ? (id) => save(waivers.filter((w) => w.id !== id)) : undefined,
    };
  }, [settings, dispatch]);
  return <WaiversContext.Provider value={value}>{children}</WaiversContext.Provider>;
}

/** `report` with the project's waivers applied today (as it is without a provider). */
export function useWaivedReport(report: Report): Report {
  const context = useContext(WaiversContext);
  return useMemo(
    () =>
      context && (context.waivers.length > 0 || report.waivers)
        ? applyWaivers(report, context.waivers, context.today)
        : report,
    [report, context],
  );
}

/**
 * "Download waivers": every waiver the project records, expired ones too, as the waivers file
 * (`preflight.waivers/v1`) that `preflight validate --waivers` reads. Nothing when there are none.
 */
export function DownloadWaivers() {
  const context = useContext(WaiversContext);
  if (!context || context.waivers.length === 0) return null;
  const { waivers, today } = context;
  return (
    <button
      type="button"
      onClick={() =>
        downloadText(`waivers-${today}.json`, `${JSON.stringify(createWaiversFile(waivers), null, 2)}\n`)
      }
    >
      Download waivers
    </button>
  );
}

/** "30 Jun 2026" for an expiry day. */
function dayInWords(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1)).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
}

/** The expired waivers of a report that name one of its problems (indexed: one pass over each list). */
function expiredNaming(report: Report): ReportWaiver[] {
  const expired = (report.waivers ?? []).filter((w) => w.status === 'expired');
  if (expired.length === 0) return [];
  const index = indexWaivers(expired, (w) => w.waiver);
  const naming = new Set<ReportWaiver>();
  for (const issue of report.issues) for (const w of index.naming(issue)) naming.add(w);
  return expired.filter((w) => naming.has(w));
}

/** The line under the scorecard: what waivers accepted in this check and what still fails. */
export function WaiverSummary({ report }: { report: Report }) {
  const stats = report.waivers ?? [];
  const accepted = stats.filter((w) => w.status === 'active' && w.issues > 0);
  const expired = expiredNaming(report);
  if (accepted.length === 0 && expired.length === 0) return null;
  const issues = accepted.reduce((n, w) => n + w.issues, 0);
  return (
    <p className="waiver-summary" data-testid="waiver-summary">
      {issues > 0 && (
        <>
          {plural(issues, 'problem')} accepted by {plural(accepted.length, 'waiver')} (
          {plural(acceptedErrors(report), 'error')}): still listed below, marked, but{' '}
          {issues === 1 ? 'it does' : 'they do'} not fail this check.{' '}
        </>
      )}
      {expired.length > 0 && <>{plural(expired.length, 'waiver')} expired: its problems fail again. </>}
      Errors not accepted:{' '}
      <strong data-testid="errors-not-accepted">{formatCount(failingErrors(report))}</strong>.
    </p>
  );
}

/**
 * Under one problem: its waiver's mark (accepted until …, owner …; or expired; or not covering
 * every occurrence), and the buttons that record, change or remove the waiver.
 */
export function IssueWaiver({ issue, report, where }: { issue: ReportIssue; report: Report; where: string }) {
  const context = useContext(WaiversContext);
  const [editing, setEditing] = useState(false);
  if (!context) return null;
  const applied = acceptingWaiver(report, issue);
  // the waiver about this problem: the one accepting it, else the first naming it (expired or partial)
  const named = applied?.waiver ?? waiversIndexed(context.waivers).naming(issue)[0];
  const expired = named !== undefined && applied === undefined && waiverExpired(named, context.today);
  // the run counted this problem's occurrences in the waiver's rows as it has them now: those here
  // lie outside them (rows changed since the run were not counted: the file is checked again)
  const counted = named !== undefined && countedWithin(issue, named) !== undefined;
  const canEdit = context.put !== undefined;
  return (
    <div className="issue-waiver">
      {/* a colleague's change to this acceptance made first is told beside the problem it accepts:
          of a problem its rows split in two, beside the accepted part only (one place per record) */}
      {named && (issue.splitBy === undefined || issue.acceptedBy !== undefined) && (
        <ConflictBeside kind="waiver" id={named.id} what="acceptance of this problem" />
      )}
      {applied && (
        <p className="waiver-mark" data-testid="waiver-mark">
          <strong>
            Accepted until {dayInWords(applied.waiver.expires)}, owner {applied.waiver.owner}
          </strong>
          : {applied.waiver.rationale}
        </p>
      )}
      {named && !applied && expired && (
        <p className="waiver-mark waiver-expired" data-testid="waiver-mark">
          <strong>Acceptance expired on {dayInWords(named.expires)}</strong> (owner {named.owner}): this
          problem fails the check again.
        </p>
      )}
      {named && !applied && !expired && counted && (
        <p className="waiver-mark waiver-expired" data-testid="waiver-mark">
          <strong>Accepted only in rows {rowsText(named.rows)}</strong>
          {named.input ? ` of ${named.input}` : ''}:{' '}
          {issue.count === 1 ? 'this occurrence lies' : `these ${formatCount(issue.count)} occurrences lie`}{' '}
          outside them and still {issue.count === 1 ? 'fails' : 'fail'} the check.
        </p>
      )}
      {named && !applied && !expired && !counted && (
        <p className="waiver-mark waiver-expired" data-testid="waiver-mark">
          <strong>Accepted only in rows {rowsText(named.rows)}</strong>
          {named.input ? ` of ${named.input}` : ''}, and not every occurrence is known to be there: this
          problem still fails the check. Check the file again to count the occurrences in those rows.
        </p>
      )}
      {canEdit && !editing && (
        <p className="waiver-actions">
          <button type="button" onClick={() => setEditing(true)}>
            {named ? 'Change the acceptance' : 'Accept this problem…'}
            <span className="visually-hidden"> {where}</span>
          </button>
          {named && (
            <button type="button" onClick={() => context.remove?.(named.id)}>
              Remove the acceptance<span className="visually-hidden"> {where}</span>
            </button>
          )}
        </p>
      )}
      {canEdit && editing && (
        <WaiverForm
          issue={issue}
          where={where}
          existing={named}
          today={context.today}
          onCancel={() => setEditing(false)}
          onSave={(waiver) => {
            context.put?.(waiver);
            setEditing(false);
          }}
        />
      )}
    </div>
  );
}

function WaiverForm({
  issue,
  where,
  existing,
  today,
  onCancel,
  onSave,
}: {
  issue: ReportIssue;
  where: string;
  existing: Waiver | undefined;
  today: string;
  onCancel: () => void;
  onSave: (waiver: Waiver) => void;
}) {
  const id = useId();
  const extensionRule = issue.rule === 'fhir-unknown-extension';
  const [rationale, setRationale] = useState(existing?.rationale ?? '');
  const [owner, setOwner] = useState(existing?.owner ?? '');
  const [expires, setExpires] = useState(existing?.expires ?? '');
  const [rows, setRows] = useState(rowsText(existing?.rows));
  const [extension, setExtension] = useState(existing?.extension ?? '');
  const [problems, setProblems] = useState<string[]>([]);

  const save = () => {
    const found: string[] = [];
    if (rationale.trim() === '') found.push('Say why the problem is accepted.');
    if (owner.trim() === '') found.push('Name the person who answers for it.');
    if (expires === '') found.push('Choose the last day the acceptance holds.');
    else if (expires < today) found.push('The last day is in the past: choose today or a later day.');
    const parsed = parseRows(rows);
    const ranges = parsed && parsed.length === 0 ? undefined : parsed;
    if (ranges === null) found.push('Write the rows as numbers and ranges, for example 12, 40-45.');
    if (found.length > 0) {
      setProblems(found);
      return;
    }
    const waiver: Waiver = {
      id: existing?.id ?? crypto.randomUUID(),
      rule: issue.rule,
      ...(extensionRule && extension.trim() !== ''
        ? { extension: extension.trim() }
        : { column: existing?.column ?? issue.location }),
      ...(existing?.input !== undefined ? { input: existing.input } : {}),
      ...(ranges ? { rows: ranges } : {}),
      rationale: rationale.trim(),
      owner: owner.trim(),
      expires,
      acceptedAt: new Date().toISOString(),
    };
    // the same checks as import and storage: a waiver that would not load is never saved
    if (checkWaiver(waiver).length > 0) {
      setProblems(['This acceptance cannot be saved as written: check each field.']);
      return;
    }
    onSave(waiver);
  };

  return (
    <fieldset className="waiver-form">
      <legend>Accept {where}</legend>
      <p className="hint">
        An accepted problem stays in every report, marked, but no longer fails the check or the readiness gate
        until the last day below. Rationale, owner and last day are all needed.
      </p>
      <label htmlFor={`${id}-why`}>Why it is accepted</label>
      <textarea
        autoComplete="off"
        id={`${id}-why`}
        value={rationale}
        rows={2}
        onChange={(e) => setRationale(e.currentTarget.value)}
      />
      <label htmlFor={`${id}-owner`}>Owner (who answers for it)</label>
      <input
        autoComplete="off"
        id={`${id}-owner`}
        type="text"
        value={owner}
        onChange={(e) => setOwner(e.currentTarget.value)}
      />
      <label htmlFor={`${id}-until`}>Accepted until (last day)</label>
      <input
        id={`${id}-until`}
        type="date"
        min={today}
        value={expires}
        onChange={(e) => setExpires(e.currentTarget.value)}
      />
      <label htmlFor={`${id}-rows`}>Only in rows (optional, e.g. 12, 40-45)</label>
      <input
        autoComplete="off"
        id={`${id}-rows`}
        type="text"
        value={rows}
        onChange={(e) => setRows(e.currentTarget.value)}
      />
      {extensionRule && (
        <>
          <label htmlFor={`${id}-ext`}>Only this extension (URL, optional)</label>
          <input
            autoComplete="off"
            id={`${id}-ext`}
            type="url"
            value={extension}
            onChange={(e) => setExtension(e.currentTarget.value)}
          />
        </>
      )}
      {problems.length > 0 && (
        <div className="error" role="alert">
          {problems.map((p) => (
            <p key={p}>{p}</p>
          ))}
        </div>
      )}
      <p className="row">
        <button type="button" className="primary" onClick={save}>
          Save the acceptance
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </p>
    </fieldset>
  );
}
