/**
 * The readiness of a project shared with a team server, judged on the team's shared record alone:
 * the shared records (check sets, contracts, mappings, accepted issues, sample plans, the sign-off
 * roster, the readiness records and steering decisions), the team's shared workflows, the
 * validation summaries of the runs members made, and the server's result of each sample. Every
 * member's browser calls {@link assessSharedReadiness} — the lead's, whose copy holds more (her
 * own review, her whole validation reports, workflows not shared, settings of her own), and a
 * member's, whose copy was made from the server's records — so each computes the same result and
 * the same readiness hash, and a go/no-go the committee signed on that hash reads current or stale
 * alike in every browser.
 *
 * Constraints:
 * - The input is made from the records the team sync sends and puts back (`KIND_RULES` in
 *   src/core/teamRecords), put into an empty project in one fixed order (kind, then id; steering
 *   decisions in the order they were recorded), so neither the order in which a copy received
 *   them nor the copy's own id, name or times enter the result. The shared workflows and the
 *   report summaries are given as the server holds them (a workflow as every copy that heard its
 *   head shows it) and put in id order, whatever order they were read in.
 * - Nothing local-only enters it: reviews (the server's result stands for them), whole reports
 *   (their summaries stand for them), workflows not shared, and settings that are not a shared
 *   record (the workflows are analysed with the default analysis settings).
 * - Pure and deterministic, as {@link assessReadiness}.
 */
import type { Project } from '../../formats/project.ts';
import type { Workflow } from '../../formats/workflow.ts';
import { applyChanges, createProject } from '../project/changes.ts';
import {
  KIND_RULES,
  type LocalRecord,
  localRecords,
  putRecords,
  type ReceivedSummary,
  type ReportSummary,
  receivedSummary,
  SHARED_RECORD_KINDS,
  type SharedRecord,
  type SharedRunSummary,
  sharedRunSummaries,
} from '../teamRecords/index.ts';
import type { ProjectAction } from '../teamRoles/index.ts';
import { type AssessOptions, assessReadiness } from './assess.ts';
import { failingDataOfSteps, type StepFailingData } from './board.ts';
import type { ReadinessResult } from './types.ts';

/** The id, name and time of the project the shared record is put into: the same in every browser. */
const SHARED_PROJECT = { id: 'team-shared-record', name: 'Team shared record', now: '2000-01-01T00:00:00Z' };

const kindOrder = (kind: LocalRecord['kind']) => SHARED_RECORD_KINDS.indexOf(kind);
/** When a steering decision was recorded, for the order of the list (the last is the latest). */
const recordedAt = (r: LocalRecord) => {
  const at = (r.body as { recordedAt?: unknown } | null)?.recordedAt;
  return typeof at === 'string' ? at : '';
};
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The records of `project` that the team sync keeps in step (those it puts back into a copy). */
function sharedRecordsOf(project: Project): LocalRecord[] {
  return localRecords(project)
    .filter((r) => KIND_RULES[r.kind].put !== undefined)
    .sort(
      (a, b) =>
        kindOrder(a.kind) - kindOrder(b.kind) ||
        (a.kind === 'steering-decision' ? byCodeUnits(recordedAt(a), recordedAt(b)) : 0) ||
        byCodeUnits(a.id, b.id),
    );
}

/** What of a shared project lives on the team server apart from its records. */
export interface TeamEvidence {
  /**
   * the project's shared workflows as the server confirmed them (each copy's `confirmed` workflow
   * at the server's head); absent or empty: none is shared, or they could not be read
   */
  workflows?: readonly Workflow[];
  /**
   * the validation summaries the server holds (`report-summary` records), each with when the
   * server received it; absent: they could not be read, and the extracts are then judged on none
   */
  reportSummaries?: readonly ReceivedSummary[];
}

/** One of each id, in id order: the same list whatever order the server's answers came in. */
function byId<T extends { id: string }>(items: readonly T[]): T[] {
  const one = new Map<string, T>();
  for (const item of items) one.set(item.id, item);
  return [...one.values()].sort((a, b) => byCodeUnits(a.id, b.id));
}

/**
 * The project a shared project's readiness is judged on: `project`'s shared records alone, put
 * into an empty project in a fixed order (see the header), with the team's shared workflows
 * (`team.workflows`) in id order. Two copies holding the same shared records give the same
 * project, whatever else each holds.
 */
export function sharedReadinessProject(project: Project, team: TeamEvidence = {}): Project {
  const empty = createProject(SHARED_PROJECT);
  const records = applyChanges(
    empty,
    putRecords(empty, sharedRecordsOf(project), SHARED_PROJECT.now),
    SHARED_PROJECT.now,
  );
  const workflows = byId(team.workflows ?? []);
  return workflows.length === 0 ? records : { ...records, workflows };
}

/**
 * The validation summaries among a shared project's records as the server gave them: each
 * summary's last body with when the server received it, those removed left out.
 */
export function reportSummariesOf(records: readonly SharedRecord[]): ReceivedSummary[] {
  return sharedRunSummaries(records).map(receivedSummary);
}

/**
 * The team's validation summaries in one order (when the server received each, else the run's own
 * date; then id), as the extracts read them: the sharer's clock does not decide which run is last.
 */
export function sharedReportSummaries(summaries: readonly ReceivedSummary[]): ReceivedSummary[] {
  const at = (s: ReceivedSummary) => Date.parse(s.receivedAt ?? s.generatedAt);
  return byId(summaries).sort((a, b) => at(a) - at(b) || byCodeUnits(a.id, b.id));
}

/**
 * The readiness of shared `project` as every member of its team computes it: {@link assessReadiness}
 * over {@link sharedReadinessProject}, its extracts judged on the team's validation summaries (none
 * when they could not be read), with the server's sample results (`teamSamples`; absent when they
 * could not be read, and then no sample counts as drawn).
 */
export function assessSharedReadiness(
  project: Project,
  team: TeamEvidence = {},
  options: Omit<AssessOptions, 'reportSummaries'> = {},
): ReadinessResult {
  return assessReadiness(sharedReadinessProject(project, team), {
    ...options,
    reportSummaries: sharedReportSummaries(team.reportSummaries ?? []),
  });
}

/**
 * The failing data each step of shared `project` uses, as the board of its Readiness traces it for
 * every member: the team's validation summaries (`shared`, each with who shared it and when the
 * server received it, {@link sharedReportSummaries}'s order) through the shared record's data
 * dictionary, waivers and check sets ({@link sharedReadinessProject}), onto the steps of
 * `project`'s workflows (the ones the person has open, shared or her own). Each names who ran its
 * check and when; the report too when `project` keeps it (the person ran it in this browser), so
 * only then is there a whole report to open. A member who never ran a check sees what the
 * browser that ran it sees.
 */
export function failingDataOfSharedSteps(
  project: Project,
  shared: readonly SharedRunSummary[],
  today?: string,
): Map<string, StepFailingData[]> {
  const judged = sharedReadinessProject(project, { workflows: project.workflows });
  const bySummary = new Map(shared.map((s) => [s.summary.id, s]));
  const kept = new Set(project.reports.map((r) => r.id));
  return failingDataOfSteps(
    judged,
    today,
    sharedReportSummaries(shared.map(receivedSummary)),
    ({ summary }) => {
      const from = summary === undefined ? undefined : bySummary.get(summary);
      if (summary === undefined || from === undefined) return {};
      return { ...(kept.has(summary) ? { report: summary } : {}), shared: { by: from.by, at: from.at } };
    },
  );
}

/** What a shared project's readiness weighs, as the team shares it, in the order a go-live gathers it. */
export const SHARED_EVIDENCE_KINDS = ['workflows', 'extracts', 'validation-runs', 'sample-plans'] as const;
/** One kind of evidence the team shares. */
export type SharedEvidenceKind = (typeof SHARED_EVIDENCE_KINDS)[number];

/**
 * What {@link notSharedYet} looks at of the project judged: whether each list holds anything. A
 * project is one; so is a screen's narrower read (the shared workflows as the server lists them,
 * without opening each).
 */
export type SharedLists = { readonly [K in 'workflows' | 'datasets' | 'samplePlans']: readonly unknown[] };

/** One kind of evidence the team has not shared yet, and the action of the role table that shares it. */
export interface UnsharedEvidence {
  kind: SharedEvidenceKind;
  /** the action whose roles may share it (src/core/teamRoles): the screen names who they are */
  sharedBy: ProjectAction;
}

/**
 * The evidence of the kinds `of` (every kind unless told) the team has not shared yet, in the
 * order a go-live gathers it: of `judged` (the project its readiness is judged on,
 * {@link sharedReadinessProject}, or the same lists as a screen read them) and the team's
 * validation summaries. Each names the action that
 * shares it, so the screen says who can — the same table the server refuses by, never a copy of
 * it. Readiness asks of every kind; the Workflows, Migration and Sign-off screens each of their own.
 */
export function notSharedYet(
  judged: SharedLists,
  summaries: readonly ReportSummary[],
  of: readonly SharedEvidenceKind[] = SHARED_EVIDENCE_KINDS,
): UnsharedEvidence[] {
  const unshared: Record<SharedEvidenceKind, boolean> = {
    workflows: judged.workflows.length === 0,
    extracts: judged.datasets.length === 0,
    'validation-runs': summaries.length === 0,
    'sample-plans': judged.samplePlans.length === 0,
  };
  const sharedBy: Record<SharedEvidenceKind, ProjectAction> = {
    workflows: 'edit-workflows',
    extracts: 'edit-data-checks',
    'validation-runs': 'share-runs',
    'sample-plans': 'edit-plans',
  };
  return SHARED_EVIDENCE_KINDS.filter((kind) => of.includes(kind) && unshared[kind]).map((kind) => ({
    kind,
    sharedBy: sharedBy[kind],
  }));
}
