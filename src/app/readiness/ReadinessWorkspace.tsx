import { useEffect, useMemo, useRef, useState } from 'react';
import type { ProjectChange } from '../../core/project/changes.ts';
import {
  type ActOn,
  assessReadiness,
  describeGates,
  evidencePack,
  type PackAuditChain,
  type PhaseReadiness,
  packAuditChain,
  type ReadinessReason,
  readReadinessGates,
  withReadinessGates,
} from '../../core/readiness/index.ts';
import { formatRecordedTime } from '../../core/signoff/recordedTime.ts';
import { readSignoffSettings } from '../../core/signoff/signoffSettings.ts';
import { localDay } from '../../core/validation/index.ts';
import type { Project } from '../../formats/project.ts';
import { readRollbackPlan, withRollbackPlan } from '../../formats/rollbackPlan.ts';
import { withSafetyAnswer, withSteeringDraft } from '../../formats/steering.ts';
import { readTrainingRecord, withTrainingRecord } from '../../formats/trainingRecord.ts';
import { EmptyState } from '../common/EmptyState.tsx';
import { WORKSPACES } from '../useWorkspaceRoute.ts';
import { EvidencePackView } from './EvidencePackView.tsx';
import { GatesForm } from './GatesForm.tsx';
import { RollbackPanel } from './RollbackPanel.tsx';
import { SafetyPanel } from './SafetyPanel.tsx';
import { type SteeringActions, SteeringPanel } from './SteeringPanel.tsx';
import { STATUS_LABELS } from './statusLabels.ts';
import { TrainingPanel } from './TrainingPanel.tsx';
import './readiness.css';

export { STATUS_LABELS };

function ActLink({ act }: { act: ActOn }) {
  if (act === 'readiness') return null;
  const label = WORKSPACES.find((w) => w.id === act)?.label ?? act;
  return (
    <>
      {' '}
      <a href={`#/${act}`}>Go to {label}</a>
    </>
  );
}

function Reasons({
  reasons,
  label,
}: {
  reasons: readonly (ReadinessReason & { phaseName?: string })[];
  label: string;
}) {
  return (
    <ul className="readiness-reasons" aria-label={label}>
      {reasons.map((r) => (
        <li key={`${r.phaseName ?? ''}${r.text}`}>
          {r.phaseName && <strong>{r.phaseName}: </strong>}
          {r.text}
          <ActLink act={r.act} />
        </li>
      ))}
    </ul>
  );
}

function Phase({ phase }: { phase: PhaseReadiness }) {
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
          reasons={phase.reasons}
          label={phase.status === 'at-risk' ? `${phase.name} risks` : `${phase.name} reasons`}
        />
      )}
    </li>
  );
}

/**
 * The Readiness screen: the go/no-go and each phase, computed by the same core function as
 * `preflight readiness` from the project as it is now, so a fix made anywhere in the app shows
 * here at once. `dispatch` saves the gates and the safety self-assessment, `steering` signs the
 * committee's decision (both left out when the project cannot be changed); `onOpenDemo` is
 * offered when the project holds nothing yet. The evidence pack opens in place of the page, to
 * print or download.
 */
export function ReadinessWorkspace({
  project,
  onOpenDemo,
  dispatch,
  steering,
}: {
  project: Project;
  onOpenDemo?: () => void;
  dispatch?: (change: ProjectChange) => void;
  steering?: SteeringActions;
}) {
  const [packAt, setPackAt] = useState<string | null>(null);
  const empty =
    project.workflows.length === 0 && project.datasets.length === 0 && project.samplePlans.length === 0;
  // waivers are judged on the user's calendar day
  const result = useMemo(() => assessReadiness(project, { today: localDay(new Date()) }), [project]);
  const written = readReadinessGates(project.meta.settings).gates;
  const names = new Map(result.phases.map((p) => [p.id, p.name]));
  const go = result.decision === 'go';
  const latest = result.steering.latest;
  // the decision record is further down this page: scroll to it and move focus there
  const toSteering = () => {
    const record = document.getElementById('steering-decision');
    record?.scrollIntoView();
    record?.focus();
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
  if (packAt !== null)
    return (
      <EvidencePackView pack={evidencePack(project, result, packAt, chain)} onClose={() => setPackAt(null)} />
    );
  return (
    <section aria-labelledby="readiness-title" className="workspace">
      <h2 id="readiness-title">Readiness</h2>
      <p className="lede">
        Whether the clinic is ready to go live, phase by phase, judged on the evidence this project holds
        against the gates below. Nothing passes for lack of evidence.
      </p>
      {empty && (
        <EmptyState onOpenDemo={onOpenDemo}>
          <p>
            This project holds nothing yet, so there is no evidence to weigh. As workflows, checked extracts
            and clinician sign-offs are added, this page shows for each phase whether the clinic is ready to
            go live, and why not.
          </p>
        </EmptyState>
      )}
      <section
        className={`decision ${go ? 'decision-go' : 'decision-no-go'}`}
        aria-labelledby="decision-title"
        data-testid="readiness-decision"
      >
        <h3 id="decision-title">
          Decision: <span>{go ? 'Go' : 'No-go'}</span>
        </h3>
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
              reasons={result.reasons.map((r) => ({ ...r, phaseName: names.get(r.phase) }))}
              label="Why no-go"
            />
          </>
        )}
        <p className="decision-gates">Gates in effect: {describeGates(result.gates).join('; ')}.</p>
        <p data-testid="decision-steering">
          <strong>Steering committee: </strong>
          {latest
            ? `${latest.decision === 'go' ? 'go' : 'no-go'}, decided ${formatRecordedTime(latest.recordedAt)} — ${
                latest.state === 'current'
                  ? 'current.'
                  : 'stale: the evidence changed since, so the committee must decide again.'
              }`
            : 'no decision recorded yet.'}{' '}
          <button type="button" className="link-button" onClick={toSteering}>
            Go to the decision record
          </button>
        </p>
        <p className="decision-pack">
          <button type="button" onClick={() => setPackAt(now())}>
            Open the evidence pack
          </button>{' '}
          A summary for the steering committee with the evidence behind it, to print or download.
        </p>
        {result.risks.length > 0 && (
          <details>
            <summary>
              {result.risks.length === 1 ? '1 risk' : `${result.risks.length} risks`} to confirm before
              go-live
            </summary>
            <Reasons
              reasons={result.risks.map((r) => ({ ...r, phaseName: names.get(r.phase) }))}
              label="Risks"
            />
          </details>
        )}
      </section>
      <SteeringPanel
        result={result}
        settings={project.meta.settings}
        roster={project.meta.roster}
        actions={steering}
        chain={chain}
        onSigned={() => setSignedCount((n) => n + 1)}
        onDraft={
          dispatch
            ? (draft) =>
                dispatch({
                  type: 'project/settings',
                  settings: withSteeringDraft(project.meta.settings, draft),
                })
            : undefined
        }
      />
      <GatesForm
        gates={written}
        onChange={
          dispatch
            ? (gates) =>
                dispatch({
                  type: 'project/settings',
                  settings: withReadinessGates(project.meta.settings, gates),
                })
            : undefined
        }
      />
      <h3 className="phases-title">Phases</h3>
      <ol className="phases" aria-label="Phases">
        {result.phases.map((phase) => (
          <Phase key={phase.id} phase={phase} />
        ))}
      </ol>
      <TrainingPanel
        project={project}
        record={readTrainingRecord(project.meta.settings)}
        onChange={
          dispatch
            ? (record) =>
                dispatch({
                  type: 'project/settings',
                  settings: withTrainingRecord(project.meta.settings, record),
                })
            : undefined
        }
      />
      <RollbackPanel
        plan={readRollbackPlan(project.meta.settings)}
        onChange={
          dispatch
            ? (plan) =>
                dispatch({
                  type: 'project/settings',
                  settings: withRollbackPlan(project.meta.settings, plan),
                })
            : undefined
        }
      />
      <SafetyPanel
        items={result.safety}
        assessor={assessor}
        now={now}
        onSave={
          dispatch
            ? (answer) =>
                dispatch({
                  type: 'project/settings',
                  settings: withSafetyAnswer(project.meta.settings, answer),
                })
            : undefined
        }
      />
    </section>
  );
}
