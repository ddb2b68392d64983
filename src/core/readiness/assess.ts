/**
 * The readiness of a project: each phase judged on the project's own evidence against the gates
 * the clinic set, and the overall go/no-go. The Readiness screen and `preflight readiness` call
 * this one function, so the screen and a pipeline always agree.
 *
 * Pure and deterministic: the same project gives the same result. Go only when no reason blocks (no
 * phase is blocked or not started); risks do not stop a go, and travel with it.
 */

import { readCommandCentre } from '../../formats/cutover.ts';
import type { Project } from '../../formats/project.ts';
import { type ReadinessGates, readReadinessGates } from '../../formats/readinessGates.ts';
import { readRoleOwners } from '../../formats/roleOwners.ts';
import { readRollbackPlan } from '../../formats/rollbackPlan.ts';
import { readSteeringDecisions } from '../../formats/steering.ts';
import { readTrainingRecord } from '../../formats/trainingRecord.ts';
import type { ReceivedSummary } from '../teamRecords/index.ts';
import { judgeAfterGoLive } from './afterGoLive.ts';
import { readinessBoard } from './board.ts';
import { configurationPhase } from './configuration.ts';
import { judgeCutover } from './cutover.ts';
import { discoveryPhase } from './discovery.ts';
import { goLivePhase } from './goLive.ts';
import { preLaunchPhase } from './preLaunch.ts';
import { judgePreparation } from './preparation.ts';
import { assessSaferGuides, assessSafety } from './safety.ts';
import { withPart } from './status.ts';
import { readinessResultHash, steeringState } from './steering.ts';
import type { TeamSample } from './teamSample.ts';
import { trainingPhase } from './training.ts';
import type { PhaseReason, ReadinessResult } from './types.ts';
import { workflowEvidence } from './workflowEvidence.ts';

/** Options of {@link assessReadiness}. */
export interface AssessOptions {
  /** gates to use instead of the project's own (`meta.settings.readinessGates`) */
  gates?: ReadinessGates;
  /**
   * the day (YYYY-MM-DD) the project's waivers are judged on: one expired by then accepts
   * nothing. Absent: each report's own day (the result stays a function of the project alone).
   */
  today?: string;
  /**
   * a shared project's samples as the team server holds them: each plan with one there is judged
   * on the server's result instead of this copy's review. Absent: the project's own reviews.
   */
  teamSamples?: readonly TeamSample[];
  /**
   * a shared project's validation summaries as the team server holds them: the extracts are
   * judged on them, in the order the server received them, instead of the project's reports.
   * Absent: the project's own reports.
   */
  reportSummaries?: readonly ReceivedSummary[];
}

/** Judges `project` (see the header). */
export function assessReadiness(project: Project, options: AssessOptions = {}): ReadinessResult {
  const read = options.gates
    ? { gates: options.gates, problems: [] }
    : readReadinessGates(project.meta.settings);
  const { gates } = read;
  const workflows = workflowEvidence(project);
  const training = readTrainingRecord(project.meta.settings);
  const trained = trainingPhase(workflows, gates, training);
  const safety = assessSafety(project, workflows, gates, trained);
  const safetyGuides = assessSaferGuides(safety, gates);
  const preLaunch = preLaunchPhase(
    project,
    workflows,
    gates,
    options.today,
    options.teamSamples,
    options.reportSummaries,
  );
  const cutover = judgeCutover(project, preLaunch);
  const preparation = judgePreparation(project, workflows, gates);
  const after = judgeAfterGoLive(project, readCommandCentre(project.meta.settings));
  const phases = [
    discoveryPhase(workflows, readRoleOwners(project.meta.settings)),
    configurationPhase(workflows, gates),
    trained,
    withPart(preLaunch, preparation.preLaunch),
    withPart(
      goLivePhase(
        workflows,
        gates,
        { items: safety, guides: safetyGuides },
        training.support,
        readRollbackPlan(project.meta.settings),
        cutover,
      ),
      {
        evidence: [...preparation.goLive.evidence, ...after.evidence],
        reasons: [...preparation.goLive.reasons, ...after.reasons],
      },
    ),
  ];
  const all: PhaseReason[] = phases.flatMap((phase) => phase.reasons.map((r) => ({ ...r, phase: phase.id })));
  const reasons = all.filter((r) => r.blocks);
  const judged = {
    decision: reasons.length === 0 ? ('go' as const) : ('no-go' as const),
    reasons,
    risks: all.filter((r) => !r.blocks),
    gates,
    gateProblems: read.problems,
    phases,
    safety,
    safetyGuides,
    cutover: cutover.summary,
    preparation: preparation.summary,
    afterGoLive: after.summary,
    board: readinessBoard(
      project,
      workflows,
      gates,
      phases,
      options.today,
      options.teamSamples,
      options.reportSummaries,
    ),
  };
  const hash = readinessResultHash(judged);
  return { ...judged, steering: steeringState(readSteeringDecisions(project.meta.settings), hash) };
}
