import { useState } from 'react';
import { actingStaffId } from '../../core/project/signoffSettings.ts';
import type { SharedEvidenceKind } from '../../core/readiness/index.ts';
import type { Project } from '../../formats/project.ts';
import type { DrawnSample } from '../../formats/review.ts';
import type { ReviewPacket } from '../../formats/reviewPacket.ts';
import type { SamplePlan } from '../../formats/samplePlan.ts';
import { EmptyWorkspace } from '../team/EmptyWorkspace.tsx';
import { TeamServerContext } from '../team/teamContext.ts';
import type { TeamServerState } from '../team/useTeamServer.ts';
import { OpenPacket } from './ReviewPackets.tsx';
import { keyColumnOf, ReviewPanel } from './ReviewPanel.tsx';
import { RosterPanel } from './RosterPanel.tsx';
import type { ReviewActions } from './reviewActions.ts';
import { type PlanActions, SamplePlanCard } from './SamplePlanCard.tsx';
import { SignoffFileCheck } from './SignoffFileCheck.tsx';
import './signoff.css';
import { isLocked, lastResultsOf, planEvidence, planHash } from '../../core/signoff/sampling/index.ts';
import { sampleResult } from '../../core/signoff/signing/index.ts';

/** What this screen shows of a shared project, as the team shares it. */
const SHOWS: readonly SharedEvidenceKind[] = ['sample-plans'];

/** The sample drawn for the review of `plan` as locked (the review cites the plan's hash), if any. */
function drawnSampleOfPlan(project: Project, plan: SamplePlan): DrawnSample | undefined {
  if (!isLocked(plan) || !project.reviews?.length) return undefined;
  const hash = planHash(plan);
  return project.reviews.find((r) => r.plan.hash === hash)?.sample;
}

/**
 * `onOpenDemo`: offered when this browser's own project has no sample plans (left out inside the demo
 * clinic itself); a shared project's empty screen says instead what the team has not shared and who can.
 * `actions`: how plans are saved (absent: read-only).
 */
export function SignoffWorkspace({
  project,
  onOpenDemo,
  actions,
  reviewActions,
  team,
}: {
  project: Project;
  /** the team server, for sending records to reviewers and signing there (absent: none) */
  team?: TeamServerState;
  onOpenDemo?: () => void;
  actions?: PlanActions;
  /** how decisions are stored (absent: read-only) */
  reviewActions?: ReviewActions;
}) {
  const { samplePlans } = project;
  // a review packet opened on this (the clinician's) computer: its records stay in memory only
  const [packet, setPacket] = useState<ReviewPacket | null>(null);
  const workspace = (
    <section aria-labelledby="signoff-title" className="workspace">
      <h2 id="signoff-title">Sign-off</h2>
      <p className="lede">
        Clinicians review a statistically sized, reproducible sample of migrated records beside their legacy
        source and sign off with an audit trail.
      </p>
      {samplePlans.length === 0 ? (
        <EmptyWorkspace
          project={project}
          shows={SHOWS}
          onOpenDemo={onOpenDemo}
          shared={(team) => (
            <p>
              The team has not shared a sample plan in “{team}” yet. Once the lead has, the clinicians’ sample
              of migrated records is listed here, to check against the old system side by side and sign off.
            </p>
          )}
        >
          <p>
            No sample plans in this project yet. Here clinicians will check a fair, reproducible sample of
            migrated records against the old system, side by side, mark what is wrong, and sign off when the
            error rate is low enough to go live. Preflight works out how many records to check and keeps a
            tamper-evident record of every decision.
          </p>
          <p>Look around the demo clinic to see a sample plan.</p>
        </EmptyWorkspace>
      ) : (
        <RosterPanel project={project} actions={reviewActions} />
      )}
      {samplePlans.length > 0 &&
        samplePlans.map((plan) => (
          <div key={plan.id}>
            <SamplePlanCard
              plan={plan}
              actions={actions}
              by={actingStaffId(project.meta.settings, project.meta.roster)}
              drawn={drawnSampleOfPlan(project, plan)}
              evidence={() => planEvidence(project, plan)}
              lastResult={() => {
                const review = isLocked(plan)
                  ? project.reviews?.find((r) => r.plan.hash === planHash(plan))
                  : undefined;
                return review ? lastResultsOf(sampleResult(review, plan)) : null;
              }}
              keyName={keyColumnOf(project.mappings.find((m) => m.source === plan.population.dataset)?.key)}
              supersededBy={samplePlans.find(
                (p) => p.supersedes !== undefined && isLocked(plan) && p.supersedes === planHash(plan),
              )}
            />
            {isLocked(plan) && (
              <ReviewPanel
                plan={plan}
                project={project}
                actions={reviewActions}
                packet={packet ?? undefined}
              />
            )}
          </div>
        ))}
      {reviewActions && <OpenPacket project={project} actions={reviewActions} onOpened={setPacket} />}
      <SignoffFileCheck {...teamServerAddress(team)} />
    </section>
  );
  return <TeamServerContext.Provider value={team ?? NO_TEAM_SERVER}>{workspace}</TeamServerContext.Provider>;
}

/**
 * The address of the team server that serves this app, when one does: its public anchor answers
 * without a sign-in, so a signed-out lead or an auditor is asked for nothing.
 */
function teamServerAddress(team: TeamServerState | undefined): { server?: string } {
  if (team === undefined || team.phase === 'none' || team.phase === 'probing') return {};
  return typeof window === 'undefined' ? {} : { server: window.location.origin };
}

const NO_TEAM_SERVER: TeamServerState = { phase: 'none' };
