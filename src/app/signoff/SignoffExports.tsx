/**
 * Exports from the sign-off workspace (docs/product.md#sign-off): the sign-off as JSON (the audit
 * log with the reviews, their signatures and locked plans — what `npx preflight signoff verify`
 * reads), the printable report (HTML that prints cleanly to PDF), the FHIR R4 transaction Bundle,
 * and the decisions as CSV for spreadsheets (formula injection neutralised). Everything is made
 * here, on this computer, and saved as a file; the FHIR Bundle can also be written, as one
 * transaction, to the FHIR server connected on the Migration workspace — only when the user
 * confirms it.
 *
 * Each export first waits for the pending save and is then made from the project and audit chain
 * exactly as stored (savedSignoff.ts): a decision exported at once is in the file, and a chain that
 * still disagrees with the decisions really was changed elsewhere. While it waits its button says so.
 */
import { useRef, useState } from 'react';
import {
  decisionsCsv,
  signoffBundle,
  signoffReportFile,
  signoffReportHtml,
} from '../../core/signoff/exports/index.ts';
import {
  signoffExportRecordOf,
  verifyAuditChain,
  verifyServerReviewSignature,
  verifySignature,
} from '../../core/signoff/signing/index.ts';
import { describeWaivers, localDay } from '../../core/validation/index.ts';
import { type ChainEntry, createAuditLogFile, type SignoffTreeHead } from '../../formats/auditLog.ts';
import type { Project } from '../../formats/project.ts';
import type { ServerAuditRecord } from '../../formats/projectAudit.ts';
import type { Review } from '../../formats/review.ts';
import type { SamplePlan } from '../../formats/samplePlan.ts';
import { readSteeringDecisions } from '../../formats/steering.ts';
import { readProjectWaivers } from '../../formats/waivers.ts';
import { downloadText } from '../common/download.ts';
import { SendBundleToServer } from '../common/SendBundleToServer.tsx';
import { useTeamServerState } from '../team/teamContext.ts';
import type { ReviewActions } from './reviewActions.ts';
import { savedReview, savedSignoff } from './savedSignoff.ts';
import { recordSignoffExport, teamProjectOfReview } from './serverReviews.ts';
import { useSendableBundle } from './useSendableBundle.ts';

/** A file-name-safe form of a plan id. */
function fileStem(id: string): string {
  return id.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 60) || 'plan';
}

/** The export buttons, in the order shown, with what each makes (said in the status line). */
const EXPORTS = [
  { key: 'json', label: 'Export the sign-off (JSON)', what: 'sign-off file (JSON)' },
  { key: 'report', label: 'Printable report (HTML)', what: 'printable report' },
  { key: 'reportJson', label: 'Report lists (JSON)', what: 'report lists (JSON)' },
  { key: 'bundle', label: 'FHIR Bundle', what: 'FHIR Bundle' },
  { key: 'csv', label: 'Decisions (CSV)', what: 'decisions table (CSV)' },
] as const;
type ExportKey = (typeof EXPORTS)[number]['key'];

/** Each export under way: waiting for the save, then making the file. */
type Busy = Partial<Record<ExportKey, 'saving' | 'making'>>;

export function SignoffExports({
  review: shownReview,
  plan: shownPlan,
  project: shownProject,
  actions,
  beforeExport,
}: {
  review: Review;
  plan: SamplePlan;
  project: Project;
  actions: ReviewActions;
  /**
   * brings the review in step with the team server's record before a file is made (a review sent
   * to a team project: the file is of the server's record as it is now); rejects with the reason
   */
  beforeExport?: () => Promise<void>;
}) {
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState<Busy>({});
  const running = useRef(new Set<ExportKey>());
  // comments may quote a patient's details: the printed report leaves them out unless chosen
  const [includeComments, setIncludeComments] = useState(false);
  const stem = `signoff-${fileStem(shownPlan.id)}`;

  const team = useTeamServerState();
  /**
   * The team server's records of exporting the reviews sent to a team project (none when this
   * browser is not signed in to it: the file then verifies offline only).
   */
  const serverRecordsOf = async (
    project: Project,
    entries: ChainEntry[],
  ): Promise<{ serverRecords?: ServerAuditRecord[]; treeHeads?: SignoffTreeHead[] }> => {
    if (team.phase !== 'signed-in') return {};
    const records: ServerAuditRecord[] = [];
    const heads: SignoffTreeHead[] = [];
    for (const review of project.reviews ?? []) {
      const teamProject = teamProjectOfReview(project.meta.settings, review.id);
      if (teamProject === undefined) continue;
      const { record, tree } = await recordSignoffExport(
        team.client.session,
        teamProject,
        review.id,
        signoffExportRecordOf(review, entries),
      );
      records.push(record);
      if (tree) heads.push(tree);
    }
    return records.length > 0
      ? { serverRecords: records, ...(heads.length > 0 ? { treeHeads: heads } : {}) }
      : {};
  };

  /** What every export is made of: the project as stored once the pending save landed. */
  interface Stored {
    project: Project;
    review: Review;
    plan: SamplePlan;
    entries: ChainEntry[];
  }
  const makers: Record<ExportKey, (stored: Stored) => Promise<void> | void> = {
    json: async ({ project, entries }) => {
      const reviews = project.reviews ?? [];
      const steering = readSteeringDecisions(project.meta.settings);
      // both are as stored now: a chain that still disagrees was changed by another tab or window
      const check = verifyAuditChain(entries, reviews, { steering });
      if (!check.ok)
        throw new Error(
          check.reason === 'decision-missing' ||
            check.reason === 'signature-missing' ||
            check.reason === 'step-missing'
            ? 'this project was changed in another tab or window since this page loaded it. Reload the page, then export again'
            : `the audit log does not verify (${check.message})`,
        );
      // what each signature covers is derived (signoff verify and the report recompute it), so it is
      // not written here: an older Preflight's schema refuses an unknown top-level field as tampering
      const file = createAuditLogFile({
        projectId: actions.projectId,
        exportedAt: actions.now(),
        entries,
        reviews,
        // every locked plan: each has a plan-lock entry in the chain, which verify checks against them
        plans: project.samplePlans.filter((p) => p.lock),
        ...(project.meta.roster ? { roster: project.meta.roster } : {}),
        // the steering decisions whose signatures the chain records, so verify checks them too
        ...(steering.length > 0 ? { steering } : {}),
        // a review sent to a team project: the server records the export first, and the file
        // carries that record, so `signoff verify --server` checks the file against the server
        ...(await serverRecordsOf(project, entries)),
      });
      downloadText(`${stem}.json`, `${JSON.stringify(file, null, 2)}\n`);
    },
    report: async ({ project, review, plan, entries }) => {
      const verifications = await Promise.all(
        (review.signatures ?? []).map((s) => verifySignature(review, s, entries, [plan])),
      );
      const serverVerifications = await Promise.all(
        (review.serverSignatures ?? []).map((s) => verifyServerReviewSignature(review, s)),
      );
      const html = signoffReportHtml({
        projectName: project.meta.name,
        plan,
        review,
        entries,
        generatedAt: actions.now(),
        verifications,
        serverVerifications,
        // the migration problems knowingly let through, as of the day of the export
        acceptedIssues: describeWaivers(
          readProjectWaivers(project.meta.settings).waivers,
          localDay(new Date(actions.now())),
        ),
        ...(project.meta.roster ? { roster: project.meta.roster } : {}),
        includeComments,
      });
      downloadText(`${stem}-report.html`, html, 'text/html');
    },
    reportJson: ({ project, review, plan, entries }) => {
      const file = signoffReportFile({
        projectName: project.meta.name,
        plan,
        review,
        entries,
        generatedAt: actions.now(),
        includeComments,
      });
      downloadText(`${stem}-report.json`, `${JSON.stringify(file, null, 2)}\n`);
    },
    bundle: ({ project, review, plan, entries }) => {
      // the file carries what verifies it: the audit chain as stored and the roster (see signoffBundle.ts)
      const mapping = project.mappings.find((m) => m.id === review.mapping?.id);
      const file = signoffBundle({
        plan,
        review,
        now: actions.now(),
        ...(mapping ? { mapping } : {}),
        entries,
        ...(project.meta.roster ? { roster: project.meta.roster } : {}),
      });
      downloadText(`${stem}-fhir-bundle.json`, `${JSON.stringify(file, null, 2)}\n`, 'application/fhir+json');
    },
    csv: ({ review }) => {
      downloadText(`${stem}-decisions.csv`, decisionsCsv(review), 'text/csv');
    },
  };

  const run = async (key: ExportKey, what: string) => {
    // a second click on a button whose export is under way (it says so) starts nothing
    if (running.current.has(key)) return;
    running.current.add(key);
    const phase = (now: 'saving' | 'making' | undefined) =>
      setBusy(({ [key]: _, ...others }) => (now ? { ...others, [key]: now } : others));
    phase('saving');
    setStatus(`Waiting for the latest changes to be saved before the ${what} is made…`);
    try {
      if (beforeExport) {
        setStatus(`Reading the team server’s record of this sample before the ${what} is made…`);
        await beforeExport();
      }
      const saved = await savedSignoff(actions, shownProject);
      const review = savedReview(saved, shownReview.id);
      const plan = saved.project.samplePlans.find((p) => p.id === shownPlan.id) ?? shownPlan;
      phase('making');
      setStatus(`Preparing the ${what}…`);
      await makers[key]({ ...saved, review, plan });
      setStatus(`The ${what} is saved to your downloads.`);
    } catch (error) {
      setStatus(`The ${what} could not be made: ${(error as Error).message}`);
    } finally {
      running.current.delete(key);
      phase(undefined);
    }
  };

  const project = shownProject;
  const plan = shownPlan;
  const review = shownReview;
  const mapping = project.mappings.find((m) => m.id === review.mapping?.id);
  // the Bundle sent is the download's, with the chain read from storage (useSendableBundle.ts)
  const sendable = useSendableBundle({ plan, review, mapping, roster: project.meta.roster, actions });

  return (
    <section className="signoff-exports" aria-label="Sign-off exports">
      <h4>Exports</h4>
      <p>
        Files are made on this computer. The sign-off file lets anyone check later that nothing changed since
        it was signed (your IT team runs <code className="command">npx preflight signoff verify</code> on it).
        The report prints to PDF; it lists every rejected, critical and “cannot assess” record, every
        adjudication and every changed decision by record key, never the records' values, and ends with the
        audit trail; the report lists also come as JSON. The FHIR Bundle holds each decision, the sign-off and
        each stratum's result for the new EHR. The CSV lists the decisions with record keys and comments for a
        spreadsheet.
      </p>
      <div className="export-buttons">
        {EXPORTS.map(({ key, label, what }) => (
          <button
            key={key}
            type="button"
            // not `disabled`: the button keeps the keyboard while it says it is waiting
            aria-disabled={busy[key] ? true : undefined}
            aria-busy={busy[key] ? true : undefined}
            onClick={() => void run(key, what)}
          >
            {busy[key] === 'saving' ? 'Waiting for the save…' : busy[key] === 'making' ? 'Preparing…' : label}
          </button>
        ))}
      </div>
      <label className="export-option">
        <input
          type="checkbox"
          checked={includeComments}
          onChange={(e) => setIncludeComments(e.target.checked)}
        />{' '}
        Include the reviewers' comments in the report (they may name patient details)
      </label>
      <p role="status" data-testid="export-status">
        {status}
      </p>
      <section className="send-signoff" aria-label="Send to the FHIR server">
        <h5>Send the sign-off to the new EHR</h5>
        {sendable.state === 'reading' && <p role="status">Reading the audit trail of the sign-off…</p>}
        {sendable.state === 'refused' && (
          <div className="error" role="alert">
            <p>{sendable.message}</p>
            <button type="button" onClick={sendable.retry}>
              Try again
            </button>
          </div>
        )}
        {sendable.state === 'ready' && (
          <SendBundleToServer bundle={sendable.bundle} describe={`the sign-off of “${plan.name}”`} />
        )}
      </section>
    </section>
  );
}
