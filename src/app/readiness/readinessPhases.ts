/**
 * The evidence line of each go-live phase on the Readiness screen, counted from the project itself:
 * every sentence states what the project holds now, never what a later version of Preflight may do.
 */
import { recordCounts } from '../../core/signoff/dualReview.ts';
import { resultsHash } from '../../core/signoff/signature.ts';
import { approvesGoLive } from '../../core/signoff/signingMeaning.ts';
import type { Project } from '../../formats/project.ts';
import type { Review } from '../../formats/review.ts';
import { formatCount, plural } from '../shared/format.ts';
import { comparedProcesses } from '../workflows/processGroups.ts';

/** One phase and what the project holds for it, in words for clinic staff. */
export interface ReadinessPhase {
  name: string;
  evidence: string;
}

function trainingEvidence(project: Project): string {
  const compared = comparedProcesses(project.workflows);
  if (compared === 0) {
    return "No planned workflow is linked to today's yet; the training checklist for each role comes from that comparison.";
  }
  return `${plural(compared, 'process', 'processes')} with a planned workflow compared with today's, each with a training checklist for every role (Workflows, Training by role).`;
}

/**
 * What the project's sign-off signatures say, as a manager reads it: how many approve go-live on
 * the results as they are now (a signature that only records the review, or whose review had
 * decisions recorded after it, does not), and which samples were decided further after their latest
 * signature (src/core/signoff/signatureCoverage.ts: its results hash is no longer the results').
 */
function signaturesEvidence(project: Project, reviews: readonly Review[]): string {
  const signed = reviews.reduce((n, r) => n + (r.signatures?.length ?? 0), 0);
  if (signed === 0) return 'not signed off yet';
  let approving = 0;
  let stale = 0;
  for (const review of reviews) {
    const signatures = review.signatures ?? [];
    if (signatures.length === 0) continue;
    const now = resultsHash(review);
    const plan = project.samplePlans.find((p) => p.id === review.plan.id);
    for (const signature of signatures)
      if (signature.resultsSha256 === now && plan && approvesGoLive(signature, review, plan)) approving++;
    if (signatures[signatures.length - 1]?.resultsSha256 !== now) stale++;
  }
  const approval =
    approving === 0
      ? signed === 1
        ? 'which does not approve go-live'
        : 'none approving go-live'
      : approving === signed
        ? signed === 1
          ? 'which approves go-live'
          : 'all approving go-live'
        : `${formatCount(approving)} approving go-live`;
  const after =
    stale === 0
      ? ''
      : `; decisions were recorded after the latest signature of ${plural(stale, 'sample')}, which ${stale === 1 ? 'it does' : 'they do'} not cover: sign again on the Sign-off screen`;
  return `${plural(signed, 'sign-off signature')}, ${approval}${after}`;
}

function goLiveEvidence(project: Project): string {
  const reviews = project.reviews ?? [];
  // records reviewed, each once, counted as the verdict counts them (recordCounts)
  const decided = reviews.reduce((n, r) => n + recordCounts(r).total.reviewed, 0);
  const plans = plural(project.samplePlans.length, 'sample plan');
  if (reviews.length === 0) return `${plans}; no sample drawn for review yet.`;
  return `${plans}; ${plural(reviews.length, 'sample')} drawn, ${plural(decided, 'record')} decided by clinicians, ${signaturesEvidence(project, reviews)}.`;
}

/** The five phases where go-lives fail, each with the evidence `project` holds. */
export function readinessPhases(project: Project): ReadinessPhase[] {
  const roles = new Set(project.workflows.flatMap((w) => w.lanes.map((l) => l.name)));
  const current = project.workflows.filter((w) => w.state === 'current').length;
  const future = project.workflows.filter((w) => w.state === 'future').length;
  return [
    {
      name: 'Discovery',
      evidence: `${plural(project.workflows.length, 'workflow')} (${current} current, ${future} future); ${plural(roles.size, 'role')} represented.`,
    },
    {
      name: 'Configuration',
      evidence: `${plural(project.mappings.length, 'mapping')}, ${plural(project.schemas.length, 'column contract and target schema', 'column contracts and target schemas')}.`,
    },
    { name: 'Training', evidence: trainingEvidence(project) },
    {
      name: 'Pre-launch',
      evidence: `${plural(project.datasets.length, 'extract')} described, ${plural(project.reports.length, 'validation report')}.`,
    },
    { name: 'Go-live', evidence: goLiveEvidence(project) },
  ];
}
