import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import type { ProjectChange } from '../../core/project/changes.ts';
import type { SharedEvidenceKind } from '../../core/readiness/index.ts';
import type { Project } from '../../formats/project.ts';
import type { Report } from '../../formats/report.ts';
import { formatBytes, plural } from '../common/format.ts';
import { TableScroll } from '../common/TableScroll.tsx';
import { EmptyWorkspace } from '../team/EmptyWorkspace.tsx';
import { useProjectSharing, useSignedInTeamProject } from '../team/projectSharing.ts';
import { WaiversProvider } from './AcceptedIssues.tsx';
import { CheckExtracts } from './CheckExtracts.tsx';
import { DataDictionaryPanel } from './DataDictionaryPanel.tsx';
import { TraceProvider } from './dataTrace.tsx';
import { FileFingerprint } from './FileFingerprint.tsx';
import { Rehearsals, type TeamRuns } from './Rehearsals.tsx';
import { RehearsalReportsProvider } from './rehearsalReports.tsx';
import { useSharedRuns } from './useSharedRuns.ts';
import { ValidationReport } from './ValidationReport.tsx';

/** The FHIR server panel and its client load on first view, so the main bundle does not grow with them. */
const FhirServerPanel = lazy(() =>
  import('./FhirServerPanel.tsx').then((m) => ({ default: m.FhirServerPanel })),
);

/** What this screen shows of a shared project, as the team shares it: the extracts and their runs. */
const SHOWS: readonly SharedEvidenceKind[] = ['extracts', 'validation-runs'];

/** The props of {@link MigrationWorkspace}. */
type MigrationWorkspaceProps = Parameters<typeof MigrationScreen>[0];

/**
 * `onOpenDemo`: offered when this browser's own project has no extracts (left out inside the demo
 * clinic itself); a shared project's empty screen says instead what the team has not shared and who can.
 * `onSaveReport`: stores a validation report in the project (resolves once durably saved).
 * The project's accepted issues (waivers) apply to every report shown on the screen, and its data
 * dictionary says under each failing issue what depends on it.
 */
export function MigrationWorkspace(props: MigrationWorkspaceProps) {
  const team = useTeamRuns(props.project.meta.id);
  return (
    <WaiversProvider project={props.project} dispatch={props.dispatch}>
      <TraceProvider project={props.project}>
        <RehearsalReportsProvider
          reports={props.project.reports}
          shared={team?.phase === 'read' ? team.summaries : undefined}
        >
          <MigrationScreen {...props} team={team} />
        </RehearsalReportsProvider>
      </TraceProvider>
    </WaiversProvider>
  );
}

/**
 * The runs the team shared, when the project `projectId` is shared with a team server (undefined:
 * this browser's project alone, or whether it is shared is still being read).
 */
function useTeamRuns(projectId: string): TeamRuns | undefined {
  const sharing = useProjectSharing(projectId);
  const server = useSignedInTeamProject(sharing);
  const read = useSharedRuns(server);
  if (sharing.kind !== 'shared') return undefined;
  if (sharing.signer === undefined)
    return {
      phase: 'unread',
      reason:
        sharing.absent === 'ended'
          ? 'your session on the team server ended: sign in again'
          : 'nobody is signed in to the team server here: sign in',
    };
  if (read.summaries) return { phase: 'read', summaries: read.summaries };
  return read.unread === undefined ? { phase: 'reading' } : { phase: 'unread', reason: read.unread };
}

function MigrationScreen({
  project,
  onOpenDemo,
  onSaveReport,
  dispatch,
  team,
  openReport,
}: {
  project: Project;
  /** the team's runs, on a project shared with a team server */
  team?: TeamRuns | undefined;
  onOpenDemo?: (() => void) | undefined;
  onSaveReport?: ((report: Report) => Promise<void>) | undefined;
  /** stores a project change (the mapping editor's edits; autosaved) */
  dispatch?: ((change: ProjectChange) => void) | undefined;
  /** a saved report to open as the screen opens (the address names it: a link from a step's failing data) */
  openReport?: string | undefined;
}) {
  const { datasets, schemas, mappings } = project;
  // the empty state of a shared project reads whether a run is shared from the team's runs, read once
  const summaries = team?.phase === 'read' ? team.summaries : undefined;
  const unread = team?.phase === 'unread' ? team.reason : undefined;
  const listing = useMemo(
    () => ({ reportSummaries: summaries?.map((s) => s.summary), unread }),
    [summaries, unread],
  );
  return (
    <section aria-labelledby="migration-title" className="workspace">
      <h2 id="migration-title">Migration</h2>
      <p className="lede">
        Legacy extracts to check before they move into the new EHR. Files stay on this computer; the project
        keeps only their description and, later, the validation results.
      </p>
      {datasets.length === 0 ? (
        <EmptyWorkspace
          project={project}
          shows={SHOWS}
          team={listing}
          onOpenDemo={onOpenDemo}
          shared={(team) => (
            <p>
              The team has not shared a legacy extract in “{team}” yet. Once someone has, each extract’s
              agreed layout is listed here, and you check the files exported from the old system against it on
              this computer: the files never leave it.
            </p>
          )}
        >
          <p>
            No legacy extracts in this project yet. Here you will check the patient, appointment and other
            files exported from the old system before they move into the new EHR: every row against the agreed
            layout, with the exact row and column of each problem, duplicate records and references to
            patients who are missing. The files stay on this computer.
          </p>
          <p>You can already fingerprint a file below, or look around the demo clinic.</p>
        </EmptyWorkspace>
      ) : (
        <TableScroll label="Legacy extracts, scrollable">
          <table className="wide">
            <caption>Legacy extracts</caption>
            <thead>
              <tr>
                <th scope="col">Extract</th>
                <th scope="col">Size</th>
                <th scope="col">Encoding</th>
                <th scope="col">Delimiter</th>
                <th scope="col">Columns</th>
                <th scope="col">Column contract</th>
              </tr>
            </thead>
            <tbody>
              {datasets.map((d) => (
                <tr key={d.id}>
                  <th scope="row">{d.name}</th>
                  <td>{formatBytes(d.bytes)}</td>
                  <td>{d.encoding ?? '—'}</td>
                  <td>{d.delimiter === '\t' ? 'tab' : (d.delimiter ?? '—')}</td>
                  <td>
                    {d.columns ? (
                      <details>
                        <summary>{plural(d.columns.length, 'column')}</summary>
                        <ul className="columns">
                          {d.columns.map((c, index) => (
                            // by position: a header cell may repeat, or be a data value in a headerless file
                            // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional and never reordered
                            <li key={index}>
                              <code>{c}</code>
                            </li>
                          ))}
                        </ul>
                      </details>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>{schemas.find((s) => s.id === d.contract)?.name ?? 'none'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {mappings.length > 0 && (
        <p>
          Mappings:{' '}
          {mappings
            .map(
              (m) =>
                `${m.name} (${m.source} → ${m.target.type === 'fhir' ? `FHIR ${m.target.resourceType}` : m.target.schema}, ${plural(m.fields.length, 'field')})`,
            )
            .join('; ')}
          .
        </p>
      )}
      <CheckExtracts project={project} onSaveReport={onSaveReport} onChange={dispatch} />
      <Rehearsals project={project} team={team} />
      <SavedReports project={project} {...(openReport === undefined ? {} : { opened: openReport })} />
      <DataDictionaryPanel
        project={project}
        onChange={dispatch ? (settings) => dispatch({ type: 'project/settings', settings }) : undefined}
      />
      <FileFingerprint />
      <Suspense fallback={<p>Loading the FHIR server panel…</p>}>
        <FhirServerPanel
          projectId={project.meta.id}
          settings={project.meta.settings}
          mappings={mappings}
          onSaveReport={onSaveReport}
          ReportView={ValidationReport}
        />
      </Suspense>
    </section>
  );
}

/**
 * Validation reports saved in the project, newest first; each opens in place. `opened`: the report
 * open as the screen opens (the address names it), brought into view; one the project does not
 * hold is said, not passed over.
 */
function SavedReports({ project, opened }: { project: Project; opened?: string }) {
  const [open, setOpen] = useState<string | null>(opened ?? null);
  const sectionRef = useRef<HTMLElement>(null);
  useEffect(() => {
    if (opened !== undefined) {
      setOpen(opened);
      sectionRef.current?.scrollIntoView?.({ block: 'start' });
    }
  }, [opened]);
  const reports = [...project.reports].sort((a, b) => b.generatedAt.localeCompare(a.generatedAt));
  const missing =
    opened !== undefined && !reports.some((r) => r.id === opened) ? (
      <p role="status" className="hint">
        The check this link names is no longer saved in the project: run the check again, or open another
        report below.
      </p>
    ) : null;
  if (reports.length === 0) return missing;
  const shown = reports.find((r) => r.id === open);
  return (
    <section aria-labelledby="saved-reports-title" className="card" ref={sectionRef}>
      {missing}
      <h3 id="saved-reports-title">Saved validation reports</h3>
      <ul className="saved-reports">
        {reports.map((r) => (
          <li key={r.id}>
            {new Date(r.generatedAt).toLocaleString('en-GB')}: {r.inputs.map((i) => i.name).join(', ')} —{' '}
            {plural(r.summary.records, 'record')}, {r.summary.invalid.toLocaleString('en-US')} invalid{' '}
            <button
              type="button"
              aria-expanded={open === r.id}
              onClick={() => setOpen(open === r.id ? null : r.id)}
            >
              {open === r.id ? 'Close' : 'Open'} report of {new Date(r.generatedAt).toLocaleString('en-GB')}
            </button>
          </li>
        ))}
      </ul>
      {shown && <ValidationReport report={shown} saved />}
    </section>
  );
}
