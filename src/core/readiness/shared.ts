/**
 * The readiness of a project shared with a team server, judged on the team's shared record alone:
 * the shared records (check sets, contracts, mappings, accepted issues, sample plans, the sign-off
 * roster, the readiness records and steering decisions) and the server's result of each sample.
 * Every member's browser calls {@link assessSharedReadiness} — the lead's, whose copy holds more
 * (her own review, her local validation runs, workflows not shared, settings of her own), and a
 * member's, whose copy was made from the server's records — so each computes the same result and
 * the same readiness hash, and a go/no-go the committee signed on that hash reads current or stale
 * alike in every browser.
 *
 * Constraints:
 * - The input is made from the records the team sync sends and puts back (`KIND_RULES` in
 *   src/core/teamRecords), put into an empty project in one fixed order (kind, then id; steering
 *   decisions in the order they were recorded), so neither the order in which a copy received
 *   them nor the copy's own id, name or times enter the result.
 * - Nothing local-only enters it: reviews (the server's result stands for them), reports (the
 *   server keeps their summaries only), workflows and their checks (shared workflows are kept
 *   apart from the records), and settings that are not a shared record.
 * - Pure and deterministic, as {@link assessReadiness}.
 */
import type { Project } from '../../formats/project.ts';
import { applyChanges, createProject } from '../project/changes.ts';
import {
  KIND_RULES,
  type LocalRecord,
  localRecords,
  putRecords,
  SHARED_RECORD_KINDS,
} from '../teamRecords/index.ts';
import { type AssessOptions, assessReadiness } from './assess.ts';
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

/**
 * The project a shared project's readiness is judged on: `project`'s shared records alone, put
 * into an empty project in a fixed order (see the header). Two copies holding the same shared
 * records give the same project, whatever else each holds.
 */
export function sharedReadinessProject(project: Project): Project {
  const empty = createProject(SHARED_PROJECT);
  return applyChanges(
    empty,
    putRecords(empty, sharedRecordsOf(project), SHARED_PROJECT.now),
    SHARED_PROJECT.now,
  );
}

/**
 * The readiness of shared `project` as every member of its team computes it: {@link assessReadiness}
 * over {@link sharedReadinessProject}, with the server's sample results (`teamSamples`; absent when
 * they could not be read, and then no sample counts as drawn).
 */
export function assessSharedReadiness(project: Project, options: AssessOptions = {}): ReadinessResult {
  return assessReadiness(sharedReadinessProject(project), options);
}
