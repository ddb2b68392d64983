/**
 * The evidence line of each go-live phase on the Readiness screen, counted from the project itself:
 * every sentence states what the project holds now, never what a later version of Preflight may do.
 */
import { currentDecisions } from '../../core/signoff/review.ts';
import type { Project } from '../../formats/project.ts';
import { plural } from '../shared/format.ts';
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

function goLiveEvidence(project: Project): string {
  const reviews = project.reviews ?? [];
  // records decided, each once (a record decided again, or by both reviewers, is one record)
  const decided = reviews.reduce((n, r) => n + currentDecisions(r).size, 0);
  const signed = reviews.reduce((n, r) => n + (r.signatures?.length ?? 0), 0);
  const plans = plural(project.samplePlans.length, 'sample plan');
  if (reviews.length === 0) return `${plans}; no sample drawn for review yet.`;
  return `${plans}; ${plural(reviews.length, 'sample')} drawn, ${plural(decided, 'record')} decided by clinicians, ${signed === 0 ? 'not signed off yet' : plural(signed, 'sign-off signature')}.`;
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
