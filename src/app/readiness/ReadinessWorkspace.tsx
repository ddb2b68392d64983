import { type MouseEvent, useEffect, useMemo, useRef, useState } from 'react';
import type { ProjectChange } from '../../core/project/changes.ts';
import { readSignoffSettings } from '../../core/project/signoffSettings.ts';
import {
  type ActOn,
  assessReadiness,
  deciders,
  describeGates,
  evidencePack,
  notSharedYet,
  OWNERS_MISSING,
  type PackAuditChain,
  type PackTeamEvidence,
  type PackTeamRecord,
  type PhaseId,
  type PhaseReadiness,
  packAuditChain,
  pathToGo,
  quorumState,
  type ReadinessReason,
  readReadinessGates,
  type SteeringSignatureCheck,
  SUPPORT_NOT_RECORDED,
  sharedReadinessProject,
  sharedReportSummaries,
  steeringDecisionChecks,
  type TeamSample,
  withReadinessGates,
} from '../../core/readiness/index.ts';
import { formatRecordedTime } from '../../core/signoff/review/index.ts';
import { type ServerSteeringDecision, serverSteeringState } from '../../core/signoff/signing/index.ts';
import { localDay } from '../../core/validation/index.ts';
import {
  readCommandCentre,
  readCutoverRunbook,
  withCommandCentre,
  withCutoverRunbook,
} from '../../formats/cutover.ts';
import {
  readCommunicationPlan,
  readDressRehearsal,
  readPartnerReadiness,
  withCommunicationPlan,
  withDressRehearsal,
  withPartnerReadiness,
} from '../../formats/goLivePreparation.ts';
import type { Project } from '../../formats/project.ts';
import { readRoleOwners, withRoleOwners } from '../../formats/roleOwners.ts';
import { readRollbackPlan, withRollbackPlan } from '../../formats/rollbackPlan.ts';
import { type SteeringDecision, withSafetyAnswer, withSteeringDraft } from '../../formats/steering.ts';
import { readSteeringMeeting, withSteeringMeeting } from '../../formats/steeringMeeting.ts';
import { readTrainingRecord, withTrainingRecord } from '../../formats/trainingRecord.ts';
import { EmptyState } from '../common/EmptyState.tsx';
import { Tabs } from '../common/Tabs.tsx';
import { HOME, READINESS_TABS, type ReadinessTab, type Route } from '../route.ts';
import { SignInToSeeShared } from '../team/EmptyWorkspace.tsx';
import { NotSharedYet } from '../team/NotSharedYet.tsx';
import { useProjectSharing, useSignedInTeamProject } from '../team/projectSharing.ts';
import { steeringDecisionsRead, teamSamplesRead } from '../team/teamReads.ts';
import { useTeamRead } from '../team/useTeamRead.ts';
import { useHref, WORKSPACES } from '../useWorkspaceRoute.ts';
import { CutoverPanel } from './CutoverPanel.tsx';
import { EvidencePackView } from './EvidencePackView.tsx';
import { GatesForm } from './GatesForm.tsx';
import { MeetingPanel } from './MeetingPanel.tsx';
import { OwnersPanel } from './OwnersPanel.tsx';
import { PackVerifier } from './PackVerifier.tsx';
import {
  COMMUNICATION_REASON,
  PARTNERS_REASON,
  PreparationPanel,
  REHEARSAL_REASON,
} from './PreparationPanel.tsx';
import { ReadinessBoard } from './ReadinessBoard.tsx';
import { RollbackPanel } from './RollbackPanel.tsx';
import { SafetyPanel } from './SafetyPanel.tsx';
import type { SteeringServer } from './ServerSteering.tsx';
import { type SteeringActions, SteeringPanel } from './SteeringPanel.tsx';
import { STATUS_LABELS } from './statusLabels.ts';
import { TrainingPanel } from './TrainingPanel.tsx';
import { useTeamEvidence } from './useTeamEvidence.ts';
import './readiness.css';

/** The place of a tab of this screen. */
const tabRoute = (tab: ReadinessTab): Route =>
  tab === 'decision' ? { workspace: 'readiness' } : { workspace: 'readiness', tab };

/** The href of a tab of this screen, in the open project. */
function useTabHref(): (tab: ReadinessTab) => string {
  const href = useHref();
  return (tab) => href(tabRoute(tab));
}

/** The reasons the runbook and the command centre give, by how they begin (core cutover.ts). */
const CUTOVER_REASON = /^(Cutover runbook|No cutover runbook|Command centre|No command centre)/;

/** Moves to a tab of this screen and focus to the element of id `focus` on it. */
type GoToTab = (tab: ReadinessTab, focus: string) => (event: MouseEvent) => void;

/**
 * Where on this screen a reason acted on here is fixed, what takes focus there and, when the
 * tab's name would not say it, the link's words: the role owners sit under the phases, the
 * training record and go-live support are one panel, the rollback plan and the safety items
 * another.
 */
function placeOf(
  r: ReadinessReason,
  phase: PhaseId,
): { tab: ReadinessTab; focus: string; words?: string } | undefined {
  if (r.act !== 'readiness') return undefined;
  if (phase === 'discovery' && r.text.startsWith(OWNERS_MISSING))
    return { tab: 'phases', focus: 'role-owners', words: 'Record the role owners' };
  if (phase === 'training' || r.gate === 'minSupportPerShift' || r.text === SUPPORT_NOT_RECORDED)
    return { tab: 'training', focus: 'training-record' };
  if (r.text.startsWith('Safety self-assessment')) return { tab: 'safety', focus: 'safety-title' };
  if (CUTOVER_REASON.test(r.text)) return { tab: 'cutover', focus: 'cutover' };
  if ([REHEARSAL_REASON, COMMUNICATION_REASON, PARTNERS_REASON].some((p) => p.test(r.text)))
    return { tab: 'cutover', focus: 'preparation' };
  if (phase === 'go-live') return { tab: 'safety', focus: 'rollback-plan' };
  return undefined;
}

function ActLink({
  act,
  phase,
  reason,
  goToTab,
}: {
  act: ActOn;
  phase: PhaseId;
  reason: ReadinessReason;
  goToTab: GoToTab;
}) {
  const href = useHref();
  const tabHref = useTabHref();
  if (act === 'readiness') {
    const place = placeOf(reason, phase);
    if (!place) return null;
    const label = READINESS_TABS.find((t) => t.id === place.tab)?.label ?? place.tab;
    return (
      <>
        {' '}
        <a href={tabHref(place.tab)} onClick={goToTab(place.tab, place.focus)}>
          {place.words ?? `Go to ${label}`}
        </a>
      </>
    );
  }
  const label = WORKSPACES.find((w) => w.id === act)?.label ?? act;
  return (
    <>
      {' '}
      <a href={href(act === 'workflows' ? HOME : { workspace: act })}>Go to {label}</a>
    </>
  );
}

function Reasons({
  reasons,
  label,
  goToTab,
}: {
  reasons: readonly (ReadinessReason & { phase: PhaseId; phaseName?: string })[];
  label: string;
  goToTab: GoToTab;
}) {
  return (
    <ul className="readiness-reasons" aria-label={label}>
      {reasons.map((r) => (
        <li key={`${r.phaseName ?? ''}${r.text}`}>
          {r.phaseName && <strong>{r.phaseName}: </strong>}
          {r.text}
          <ActLink act={r.act} phase={r.phase} reason={r} goToTab={goToTab} />
        </li>
      ))}
    </ul>
  );
}

function Phase({ phase, goToTab }: { phase: PhaseReadiness; goToTab: GoToTab }) {
  const label = STATUS_LABELS[phase.status];
  const headingId = `phase-${phase.id}`;
  return (
    <li className={`card phase phase-${phase.status}`} aria-labelledby={headingId}>
      <div className="card-header">
        <h3 id={headingId}>{phase.name}</h3>
        <span className={`badge status-${phase.status}`}>
          <span aria-hidden="true">{label.symbol} </span>
          {label.text}
        </span>
      </div>
      <h4>Evidence</h4>
      <ul className="phase-evidence" aria-label={`${phase.name} evidence`}>
        {phase.evidence.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      {phase.reasons.length > 0 && <h4>{phase.status === 'at-risk' ? 'To confirm' : 'Why not ready'}</h4>}
      {phase.reasons.length > 0 && (
        <Reasons
          goToTab={goToTab}
          reasons={phase.reasons.map((r) => ({ ...r, phase: phase.id }))}
          label={phase.status === 'at-risk' ? `${phase.name} risks` : `${phase.name} reasons`}
        />
      )}
    </li>
  );
}

/**
 * The check of a pack file someone hands in, then the evidence pack as it stands, made when the
 * tab opens (its time is when it was made) and followed live as the project changes.
 */
function PackTab({
  project,
  judged,
  result,
  chain,
  now,
  onServer,
  shared,
  team,
  teamRecord,
}: {
  project: Project;
  /** what the readiness was judged on: a shared project's shared record, else `project` itself */
  judged: Project;
  /** a shared project's validation summaries and sample results on the team server, listed in the pack */
  team: PackTeamEvidence | undefined;
  /**
   * a shared project's evidence on the team server as read by the signed-in member, which a pack
   * judged on the team's record is checked against (absent: signed out, offline or not read yet)
   */
  teamRecord: PackTeamRecord | undefined;
  result: ReturnType<typeof assessReadiness>;
  chain: PackAuditChain | undefined;
  now: () => string;
  /** the go/no-go signed on the team server the project is shared with, as read from it */
  onServer: ServerSteeringRead;
  /** the project is shared with a team server (its committee signs there) */
  shared: boolean;
}) {
  const [madeAt] = useState(now);
  const made =
    judged === project
      ? project
      : { ...judged, meta: { ...judged.meta, id: project.meta.id, name: project.meta.name } };
  const pack = evidencePack(made, result, madeAt, chain, onServer.decisions, team);
  const checks = useSignatureChecks(pack.steeringDecision, made.meta.roster);
  return (
    <>
      <PackVerifier project={project} team={teamRecord} />
      {onServer.unread && (
        <p role="alert">
          The go/no-go signed on the team server could not be read, so this pack leaves it out:{' '}
          {onServer.unread}
        </p>
      )}
      <EvidencePackView pack={pack} shared={shared} signatureChecks={checks} />
    </>
  );
}

/**
 * Each signature of `decision` verified under `roster` (a WebAuthn assertion is checked
 * asynchronously); undefined until the checks of this very decision are done, so the pack says
 * "not checked" meanwhile and never shows an earlier decision's checks.
 */
function useSignatureChecks(
  decision: SteeringDecision | undefined,
  roster: Project['meta']['roster'],
): SteeringSignatureCheck[] | undefined {
  // the pack is made anew at each render: the decision is known by its content
  const key = JSON.stringify([decision ?? null, roster ?? null]);
  const [done, setDone] = useState<{ key: string; checks: SteeringSignatureCheck[] } | undefined>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the key stands for the decision and the roster
  useEffect(() => {
    let live = true;
    void steeringDecisionChecks(decision, roster).then((checks) => live && setDone({ key, checks }));
    return () => {
      live = false;
    };
  }, [key]);
  return done?.key === key ? done.checks : undefined;
}

/** The go/no-go decisions signed on the team server, as last read, or why they could not be. */
interface ServerSteeringRead {
  decisions?: ServerSteeringDecision[];
  unread?: string;
}

/**
 * The go/no-go decisions signed on the team server for `server`'s project (none: not shared, or
 * nobody signed in), read again whenever `signed` changes (a signature was recorded).
 */
function useServerSteering(server: SteeringServer | undefined, signed: number): ServerSteeringRead {
  // the decisions' one copy in the browser's cache of team reads (the steering panel reads it too),
  // read again when a member's signature is heard from the project's change stream
  const read = useTeamRead(server, steeringDecisionsRead);
  const { reread } = read;
  useEffect(() => {
    if (signed > 0) reread();
  }, [signed, reread]);
  if (read.unread !== undefined) return { unread: read.unread };
  return read.value === undefined ? {} : { decisions: read.value };
}

/** The team server's samples of a shared project as last read, or why they could not be. */
interface TeamSamplesRead {
  samples?: TeamSample[];
  unread?: string;
  /** the person's role on the team project does not see the samples' results */
  notForRole?: true;
}

/**
 * The sign-off samples the team server holds for `server`'s project, each with the approvals
 * signed there over its result as it is now: their one copy in the browser's cache of team reads,
 * read again when the project's change stream tells of a review, a decision or a signature, and
 * when the sign-off records change here (a decision or a signature synced in), not on every edit
 * of a readiness form. None: not shared, no sample plan, or nobody signed in.
 */
function useTeamSamples(server: SteeringServer | undefined, project: Project): TeamSamplesRead {
  const plans = project.samplePlans.length;
  const read = useTeamRead(plans === 0 ? undefined : server, teamSamplesRead);
  const { reread } = read;
  const reviews = project.reviews;
  const first = useRef(true);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a change of the reviews is the trigger, not an input
  useEffect(() => {
    // the first render reads through the cache; a later change of the reviews here reads again
    if (first.current) {
      first.current = false;
      return;
    }
    reread();
  }, [reviews, reread]);
  if (read.unread !== undefined) return { unread: read.unread };
  return read.value ?? {};
}

/** The committee's decision in one sentence, as the decision tab names it. */
function steeringWords(latest: { decision: 'go' | 'no-go'; recordedAt: string; state: 'current' | 'stale' }) {
  return `${latest.decision === 'go' ? 'go' : 'no-go'}, decided ${formatRecordedTime(latest.recordedAt)} — ${
    latest.state === 'current'
      ? 'current.'
      : 'stale: the evidence changed since, so the committee must decide again.'
  }`;
}

/**
 * The Readiness screen, as tabs: the go/no-go with its reasons first, then the phases, training
 * and support, the downtime plan with the safety self-assessment, the gates, the committee's
 * decision and the evidence pack. Everything is computed by the same core function as
 * `preflight readiness` from the project as it is now, so a fix made anywhere in the app shows at
 * once. Which tab is shown is part of the address (`tab`, changed through `onTab`), so Back and
 * Forward step through the tabs and a reload reopens the same one. `dispatch` saves the gates and
 * the clinic's records, `steering` signs the committee's decision (both left out when the project
 * cannot be changed); `onOpenDemo` is offered when this browser's own project holds nothing yet (a
 * shared project that holds nothing says instead what the team has not shared and who can).
 */
export function ReadinessWorkspace({
  project,
  tab,
  onTab,
  onOpenDemo,
  dispatch,
  steering,
}: {
  project: Project;
  tab: ReadinessTab;
  onTab: (tab: ReadinessTab, options: { replace: boolean }) => void;
  onOpenDemo?: () => void;
  dispatch?: (change: ProjectChange) => void;
  steering?: SteeringActions;
}) {
  const tabHref = useTabHref();
  // shared on a team server: the committee signs there, each member signed in as herself, and the
  // sign-off samples are judged on the server's results
  const sharing = useProjectSharing(project.meta.id);
  const server = useSignedInTeamProject(sharing);
  const samples = useTeamSamples(server, project);
  // the committee signs the readiness as judged on the team's samples: not before they are read
  // the team's shared workflows and validation summaries, judged as every member's browser judges them
  const team = useTeamEvidence(server);
  const samplesReading =
    (server !== undefined &&
      project.samplePlans.length > 0 &&
      samples.samples === undefined &&
      samples.unread === undefined &&
      samples.notForRole === undefined) ||
    (server !== undefined && team.evidence === undefined && team.unread === undefined);
  // a shared project is judged on the team's shared record alone, as every member's browser judges
  // it, so the go/no-go the committee signed reads current or stale alike in each of them
  const shared = sharing.kind === 'shared';
  const evidence = team.evidence;
  const judged = useMemo(
    () => (shared ? sharedReadinessProject(project, evidence) : project),
    [shared, project, evidence],
  );
  const summaries = useMemo(
    () => (shared ? sharedReportSummaries(evidence?.reportSummaries ?? []) : undefined),
    [shared, evidence],
  );
  // nothing to weigh: a project of this browser's offers the demo clinic; a shared one is the team's,
  // so it says what the team has not shared yet and who can share it, once that has been read
  const empty =
    judged.workflows.length === 0 && judged.datasets.length === 0 && judged.samplePlans.length === 0;
  const unshared = useMemo(
    () => (shared && evidence !== undefined ? notSharedYet(judged, evidence.reportSummaries) : undefined),
    [shared, judged, evidence],
  );
  // waivers are judged on the user's calendar day
  const result = useMemo(
    () =>
      assessReadiness(judged, {
        today: localDay(new Date()),
        ...(samples.samples ? { teamSamples: samples.samples } : {}),
        ...(summaries ? { reportSummaries: summaries } : {}),
      }),
    [judged, samples.samples, summaries],
  );
  // the fewest actions that clear every blocking reason, for the board
  const path = useMemo(() => pathToGo(judged, result, localDay(new Date())), [judged, result]);
  const written = readReadinessGates(project.meta.settings).gates;
  const names = new Map(result.phases.map((p) => [p.id, p.name]));
  const go = result.decision === 'go';
  const latest = result.steering.latest;
  // a link to another tab moves focus into what it names once that tab is shown
  const [focusTarget, setFocusTarget] = useState<string | null>(null);
  useEffect(() => {
    if (focusTarget === null) return;
    const target = document.getElementById(focusTarget);
    if (!target) return;
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: 'start' });
    setFocusTarget(null);
  });
  const goToTab = (next: ReadinessTab, focus: string) => (event: MouseEvent) => {
    event.preventDefault();
    setFocusTarget(focus);
    onTab(next, { replace: false });
  };
  const assessor = readSignoffSettings(project.meta.settings).reviewer?.name ?? '';
  const now = steering?.now ?? (() => new Date().toISOString());
  // the audit chain, read again whenever the project changes (a signature adds its entry on save)
  const [chain, setChain] = useState<PackAuditChain | undefined>(undefined);
  // the caller's actions are a new object on each render: the latest is read through a ref
  const auditLogRef = useRef(steering?.auditLog);
  auditLogRef.current = steering?.auditLog;
  const canRead = steering?.auditLog !== undefined;
  // bumped once a signature is stored, when its entry is surely in the chain
  const [signedCount, setSignedCount] = useState(0);
  useEffect(() => {
    const auditLog = auditLogRef.current;
    if (!canRead || !auditLog || signedCount < 0) return;
    let live = true;
    void auditLog().then(
      (entries) => {
        if (live) setChain(packAuditChain(project, entries));
      },
      () => {
        if (live) setChain(undefined);
      },
    );
    return () => {
      live = false;
    };
  }, [canRead, project, signedCount]);
  // on a shared project the committee's decision is the one signed on the team server
  const onServer = useServerSteering(server, signedCount);
  const onServerLatest = onServer.decisions
    ? serverSteeringState(onServer.decisions, result.steering.resultSha256).latest
    : undefined;
  const settingsChange = <T,>(
    write: (settings: Record<string, unknown>, value: T) => Record<string, unknown>,
  ) =>
    dispatch
      ? (value: T) => dispatch({ type: 'project/settings', settings: write(project.meta.settings, value) })
      : undefined;
  const reasonsWords =
    result.reasons.length === 1
      ? '1 reason blocks go-live'
      : `${result.reasons.length} reasons block go-live`;

  return (
    <section aria-labelledby="readiness-title" className="workspace">
      {/* printed from the Evidence pack tab, the pack is printed alone */}
      <div className={tab === 'pack' ? 'no-print' : undefined}>
        <h2 id="readiness-title">Readiness</h2>
        <p className="lede">
          Whether the clinic is ready to go live, phase by phase, judged on the evidence this project holds
          against the clinic's gates. Nothing passes for lack of evidence.
        </p>
        {shared && (
          <p className="hint" data-testid="readiness-shared-record">
            This project is shared with your clinic’s Preflight server: it is judged on the team’s shared
            records, shared workflows, the summaries of validation runs shared with the team and the server’s
            sample results, as every member’s browser judges it. Workflows and reviews kept only in this
            browser are not counted; a validation run counts once its summary is on the server.
          </p>
        )}
        {team.unread && (
          <p role="alert" data-testid="team-evidence-unread">
            The team’s shared workflows and validation summaries could not be read from the server, so none
            counts here until they are: {team.unread}
          </p>
        )}
        {samples.unread && (
          <p role="alert" data-testid="team-samples-unread">
            The sign-off samples on the team server could not be read, so no sample counts as drawn here until
            they are: {samples.unread}
          </p>
        )}
        {samples.notForRole && (
          <p className="hint" data-testid="team-samples-not-for-role">
            Your role on the team project does not show the results of its sign-off samples, so no sample
            counts as drawn here: the committee judges them on the server’s results.
          </p>
        )}
        {shared && server === undefined && project.samplePlans.length > 0 && (
          <p className="hint" data-testid="team-samples-signed-out">
            The team server holds this project’s sign-off samples: sign in to judge the sign-off on the team’s
            result.
          </p>
        )}
        {empty && sharing.kind === 'shared' && unshared !== undefined && (
          <NotSharedYet missing={unshared}>
            <p>
              The team has shared nothing this screen can weigh yet in “{sharing.teamProjectName}”. As the
              team shares its evidence, this screen shows for each phase whether the clinic is ready to go
              live, and why not.
            </p>
          </NotSharedYet>
        )}
        {empty && sharing.kind === 'shared' && server === undefined && <SignInToSeeShared />}
        {empty && sharing.kind === 'local' && (
          <EmptyState onOpenDemo={onOpenDemo}>
            <p>
              This project holds nothing yet, so there is no evidence to weigh. As workflows, checked extracts
              and clinician sign-offs are added, this screen shows for each phase whether the clinic is ready
              to go live, and why not.
            </p>
          </EmptyState>
        )}
      </div>
      <Tabs label="Readiness" tabs={READINESS_TABS} selected={tab} onSelect={onTab}>
        {tab !== 'decision' && tab !== 'pack' && (
          <p className={`decision-line decision-line-${go ? 'go' : 'no-go'}`} data-testid="decision-line">
            <strong>{go ? 'Go' : 'No-go'}</strong>
            {go ? ': no gate fails and every phase has started. ' : `: ${reasonsWords}. `}
            <a href={tabHref('decision')} onClick={goToTab('decision', 'decision-title')}>
              {go ? 'See the go/no-go' : 'See why'}
            </a>
          </p>
        )}
        {tab === 'decision' && (
          <section
            className={`decision ${go ? 'decision-go' : 'decision-no-go'}`}
            aria-labelledby="decision-title"
            data-testid="readiness-decision"
          >
            <h3 id="decision-title" tabIndex={-1}>
              Decision: <span>{go ? 'Go' : 'No-go'}</span>
            </h3>
            <ReadinessBoard
              board={result.board}
              gates={result.gates}
              headingLevel={4}
              path={path}
              quorum={quorumState(readSteeringMeeting(judged.meta.settings))}
            />
            {go ? (
              <p>No gate fails and every phase has started.</p>
            ) : (
              <>
                <p>
                  {result.reasons.length === 1
                    ? 'This blocks go-live:'
                    : `These ${result.reasons.length} reasons block go-live:`}
                </p>
                <Reasons
                  goToTab={goToTab}
                  reasons={result.reasons.map((r) => ({ ...r, phaseName: names.get(r.phase) }))}
                  label="Why no-go"
                />
              </>
            )}
            <p className="decision-gates">
              Gates in effect: {describeGates(result.gates).join('; ')}.{' '}
              <a href={tabHref('gates')} onClick={goToTab('gates', 'readiness-gates')}>
                Change the gates
              </a>
            </p>
            <p>
              <a href={tabHref('phases')} onClick={goToTab('phases', 'phases-title')}>
                See the evidence per phase
              </a>
            </p>
            <p data-testid="decision-steering">
              <strong>Steering committee: </strong>
              {sharing.kind === 'shared'
                ? // current or stale is said of the evidence as read: not before it is
                  samplesReading
                  ? 'reading the decision signed on the team server…'
                  : onServerLatest
                    ? `${steeringWords(onServerLatest)} Signed on the team server.`
                    : server === undefined
                      ? 'signed on the team server: sign in to see the decision.'
                      : onServer.decisions
                        ? 'no decision signed on the team server yet.'
                        : 'reading the decision signed on the team server…'
                : latest
                  ? steeringWords(latest)
                  : 'no decision recorded yet.'}{' '}
              <a href={tabHref('steering')} onClick={goToTab('steering', 'steering-decision')}>
                Go to the decision record
              </a>
            </p>
            <p className="decision-pack">
              <a href={tabHref('pack')} onClick={goToTab('pack', 'pack-title')}>
                Open the evidence pack
              </a>{' '}
              — a summary for the steering committee with the evidence behind it, to print or download.
            </p>
            {result.risks.length > 0 && (
              <details>
                <summary>
                  {result.risks.length === 1 ? '1 risk' : `${result.risks.length} risks`} to confirm before
                  go-live
                </summary>
                <Reasons
                  goToTab={goToTab}
                  reasons={result.risks.map((r) => ({ ...r, phaseName: names.get(r.phase) }))}
                  label="Risks"
                />
              </details>
            )}
          </section>
        )}
        {tab === 'phases' && (
          <>
            <h3 className="phases-title" id="phases-title" tabIndex={-1}>
              Phases
            </h3>
            <ol className="phases" aria-label="Phases">
              {result.phases.map((phase) => (
                <Phase key={phase.id} phase={phase} goToTab={goToTab} />
              ))}
            </ol>
            <OwnersPanel
              project={project}
              record={readRoleOwners(project.meta.settings)}
              onChange={settingsChange(withRoleOwners)}
            />
          </>
        )}
        {tab === 'training' && (
          <TrainingPanel
            project={project}
            record={readTrainingRecord(project.meta.settings)}
            onChange={settingsChange(withTrainingRecord)}
          />
        )}
        {tab === 'safety' && (
          <>
            <RollbackPanel
              plan={readRollbackPlan(project.meta.settings)}
              onChange={settingsChange(withRollbackPlan)}
            />
            <SafetyPanel
              items={result.safety}
              guides={result.safetyGuides}
              assessor={assessor}
              now={now}
              onSave={settingsChange(withSafetyAnswer)}
            />
          </>
        )}
        {tab === 'cutover' && (
          <CutoverPanel
            runbook={readCutoverRunbook(project.meta.settings)}
            centre={readCommandCentre(project.meta.settings)}
            summary={result.cutover}
            onRunbook={settingsChange(withCutoverRunbook)}
            onCentre={settingsChange(withCommandCentre)}
          />
        )}
        {tab === 'cutover' && (
          <PreparationPanel
            rehearsal={readDressRehearsal(project.meta.settings)}
            communication={readCommunicationPlan(project.meta.settings)}
            partners={readPartnerReadiness(project.meta.settings)}
            summary={result.preparation}
            reasons={[...result.reasons, ...result.risks]}
            onRehearsal={settingsChange(withDressRehearsal)}
            onCommunication={settingsChange(withCommunicationPlan)}
            onPartners={settingsChange(withPartnerReadiness)}
          />
        )}
        {tab === 'gates' && <GatesForm gates={written} onChange={settingsChange(withReadinessGates)} />}
        {tab === 'steering' && samplesReading && (
          <p role="status">
            Reading the sign-off samples on the team server, which the decision is taken on…
          </p>
        )}
        {tab === 'steering' && (
          <MeetingPanel
            meeting={readSteeringMeeting(project.meta.settings)}
            suggested={deciders(project)}
            onChange={settingsChange(withSteeringMeeting)}
            sharing={sharing}
          />
        )}
        {tab === 'steering' && !samplesReading && (
          <SteeringPanel
            result={result}
            settings={project.meta.settings}
            roster={project.meta.roster}
            actions={steering}
            chain={chain}
            onSigned={() => setSignedCount((n) => n + 1)}
            onDraft={settingsChange(withSteeringDraft)}
            sharing={sharing}
            server={server}
          />
        )}
        {tab === 'pack' && (
          <PackTab
            project={project}
            judged={judged}
            team={
              summaries
                ? { reportSummaries: summaries, ...(samples.samples ? { teamSamples: samples.samples } : {}) }
                : undefined
            }
            result={result}
            chain={chain}
            now={now}
            onServer={onServer}
            shared={sharing.kind === 'shared'}
            teamRecord={
              shared && evidence
                ? { ...evidence, ...(samples.samples ? { teamSamples: samples.samples } : {}) }
                : undefined
            }
          />
        )}
      </Tabs>
    </section>
  );
}
