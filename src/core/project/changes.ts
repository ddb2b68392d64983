/**
 * Project edits as data (docs/conventions.md#changes-are-data): every edit is a `ProjectChange`
 * applied by the pure reducer `applyChange`, so undo/redo, autosave and the audit trail share one
 * shape.
 *
 * Constraints:
 * - Pure: no DOM, no IndexedDB, no clock. The caller passes `now`.
 * - Immutable with structural sharing: a change replaces only the objects on the path to what
 *   it touched. Every other document — and every untouched collection array — keeps its object
 *   identity. Autosave writes exactly the documents whose identity changed, so breaking this
 *   either loses writes (a mutated document looks unchanged) or rewrites everything.
 * - A change that cannot apply throws `ProjectChangeError`; its message names the kind of
 *   problem and the document id, never document content.
 */

import { isPlainObject } from '../../formats/loading.ts';
import type { Mapping } from '../../formats/mapping.ts';
import type {
  Dataset,
  LogMap,
  Project,
  ProjectMeta,
  ProjectReport,
  SchemaDoc,
  WorkflowBackTest,
  WorkflowCheck,
} from '../../formats/project.ts';
import type { ServerAuditRecord } from '../../formats/projectAudit.ts';
import { checkProjectName } from '../../formats/projectName.ts';
import type { Report } from '../../formats/report.ts';
import type { Decision, Review, ServerReviewSignature, Signature } from '../../formats/review.ts';
import { withOwnerRoleRenamed } from '../../formats/roleOwners.ts';
import type { RosterChange } from '../../formats/roster.ts';
import type { SamplePlan } from '../../formats/samplePlan.ts';
import { withTrainingRoleRenamed } from '../../formats/trainingRecord.ts';
import type { Workflow } from '../../formats/workflow.ts';
import { canonicalJson } from '../hash/index.ts';
import { addDecision, ReviewChangeError } from '../signoff/review/index.ts';
import { planHash } from '../signoff/sampling/index.ts';
import {
  addRosterChange,
  addSignature,
  RosterError,
  rosterDecisionRefusal,
  ServerRecordError,
  SignatureError,
  withServerRecord,
} from '../signoff/signing/index.ts';
import { COLLECTION_OF, type DocumentKind, type DocumentOf, documentId, documentsOf } from './documents.ts';

/** A change that puts (adds or replaces, by id) or removes one document of kind `K`. */
type DocumentChanges<K extends DocumentKind, D> =
  | ({ type: `${K}/put` } & { [P in K]: D })
  | { type: `${K}/remove`; id: string };

/**
 * One edit to a project. `*\/put` adds a document or replaces the one with the same id (keeping
 * its position); `*\/remove` removes the document with that id.
 */
export type ProjectChange =
  | { type: 'project/rename'; name: string }
  /** replaces the whole settings object (callers spread the old one to change one field) */
  | { type: 'project/settings'; settings: Record<string, unknown> }
  | DocumentChanges<'workflow', Workflow>
  | DocumentChanges<'dataset', Dataset>
  | DocumentChanges<'mapping', Mapping>
  | DocumentChanges<'samplePlan', SamplePlan>
  | DocumentChanges<'report', ProjectReport>
  /**
   * Adds a report under a new id (`id`, not any id the report carries): how every report enters
   * a project. Keyed by `generatedAt`, two runs finishing in the same millisecond would
   * overwrite each other. The id travels in the change, so the reducer
   * stays pure and replaying the change gives the same project; {@link addReport} makes one.
   */
  | { type: 'report/add'; report: Report; id: string }
  | DocumentChanges<'schema', SchemaDoc>
  | DocumentChanges<'review', Review>
  /** the last go-live check of a planned workflow (its id is the workflow's): put replaces the older */
  | DocumentChanges<'workflowCheck', WorkflowCheck>
  /** the process map last measured from an event log (the app keeps one: put replaces it) */
  | DocumentChanges<'logMap', LogMap>
  /** the last back-test of a workflow (its id is the workflow's): put replaces the older */
  | DocumentChanges<'workflowBackTest', WorkflowBackTest>
  /**
   * Appends one decision to a review (src/core/signoff/review/review.ts). Commit it with
   * `session.commit`, whose promise resolves once the decision — and, in the same strict
   * transaction, its audit-chain entry — is stored: only then may the UI show "Saved".
   */
  | { type: 'review/decide'; reviewId: string; decision: Decision }
  /**
   * Appends a sign-off signature to a review (src/core/signoff/signing/signature.ts). Commit it with
   * `session.commit`: it resolves once the signature and its audit entry are stored.
   */
  | { type: 'review/sign'; reviewId: string; signature: Signature }
  /**
   * Brings a review sent to a team project in step with the server's record of it
   * (src/core/signoff/signing/serverRecord.ts): the decisions new there, in the server's order, then the
   * signatures made there over the review. The server judged who may decide; the review's own
   * rules still apply, and a signature is refused unless it is over the decisions it signs as the
   * review then holds them. Their record is the server's log, which each signature names.
   */
  | {
      type: 'review/server-record';
      reviewId: string;
      decisions: Decision[];
      signatures: ServerReviewSignature[];
      /** the server's log entries of the decisions, each kept with the review (absent: none) */
      entries?: ServerAuditRecord[];
    }
  /**
   * Appends one change to the project's sign-off roster (src/core/signoff/signing/roster.ts): its audit
   * entry is written in the same transaction. A key binding's lead confirmation is verified
   * (`verifyKeyBinding`, async) before this is committed.
   */
  | { type: 'roster/change'; change: RosterChange };

/** Why a change could not be applied. */
export type ProjectChangeErrorCode =
  | 'blank-name'
  | 'name-too-long'
  | 'invalid-settings'
  | 'missing-id'
  | 'duplicate-id'
  | 'unknown-document'
  | 'unknown-change'
  | 'locked-document'
  | 'invalid-decision'
  | 'invalid-signature'
  | 'invalid-roster';

/** Thrown by `applyChange` / `createProject` for a change that cannot apply to the project. */
export class ProjectChangeError extends Error {
  override name = 'ProjectChangeError';
  /** what kind of problem it is; stable, for tests and UI logic */
  readonly code: ProjectChangeErrorCode;
  /** the change type that failed */
  readonly changeType: string;

  constructor(code: ProjectChangeErrorCode, changeType: string, message: string) {
    super(message);
    this.code = code;
    this.changeType = changeType;
  }
}

/** Returns a new random id (UUID v4) from the platform's `crypto`, available in Node 20 and browsers. */
export function newId(): string {
  return crypto.randomUUID();
}

/**
 * The change that adds `report` to a project under a new id (by default a fresh UUID from
 * {@link newId}; tests pass their own).
 */
export function addReport(report: Report, id: string = newId()): ProjectChange {
  return { type: 'report/add', report, id };
}

function checkName(name: unknown, changeType: string): string {
  const checked = checkProjectName(name);
  if (!checked.ok) throw new ProjectChangeError(checked.code, changeType, checked.message);
  return checked.name;
}

/** Parameters of `createProject`. */
interface CreateProjectParams {
  /** defaults to `newId()` */
  id?: string;
  name: string;
  /** ISO 8601 date-time; becomes both `createdAt` and `updatedAt` */
  now: string;
  settings?: Record<string, unknown>;
}

/**
 * A new, empty project: no documents, `settings: {}` unless given.
 * @throws ProjectChangeError `blank-name` when the name is blank, `name-too-long` past the maximum.
 */
export function createProject({ id = newId(), name, now, settings = {} }: CreateProjectParams): Project {
  const meta: ProjectMeta = {
    id,
    name: checkName(name, 'project/create'),
    createdAt: now,
    updatedAt: now,
    settings,
  };
  // `reviews` is optional and absent until the first review is put (projects saved before reviews have none)
  return { meta, workflows: [], mappings: [], samplePlans: [], reports: [], datasets: [], schemas: [] };
}

/** The document kind a change type acts on, or null for `project/*` changes. */
function changeKind(change: ProjectChange): DocumentKind | null {
  const [scope] = change.type.split('/');
  return scope === 'project' ? null : (scope as DocumentKind);
}

function withMeta(project: Project, patch: Partial<ProjectMeta>, now: string): Project {
  return { ...project, meta: { ...project.meta, ...patch, updatedAt: now } };
}

function putDocument<K extends DocumentKind>(
  project: Project,
  kind: K,
  document: DocumentOf<K>,
  now: string,
  changeType: string,
): Project {
  if (document === null || typeof document !== 'object') {
    throw new ProjectChangeError('missing-id', changeType, `A ${kind} to put must be a document object.`);
  }
  const id = documentId(document);
  if (id.trim() === '') {
    throw new ProjectChangeError(
      'missing-id',
      changeType,
      `A ${kind} needs a non-blank id to be put in a project.`,
    );
  }
  const current = documentsOf(project, kind);
  const index = current.findIndex((d) => documentId(d) === id);
  if (index >= 0 && current[index] === document) return project;
  const next = index >= 0 ? current.with(index, document) : [...current, document];
  return { ...project, [COLLECTION_OF[kind]]: next, meta: { ...project.meta, updatedAt: now } };
}

/**
 * `next` (the project once `workflow` is put) with the training record and the role owners
 * following the lanes that `workflow` renamed: a role is a lane name, so a lane renamed (same id,
 * new name) whose old name no other lane of the project still bears takes its training entry and
 * its owner entry along. While another lane keeps the old name (today's workflow, say, when only
 * the planned one was renamed), the entries still belong to that lane and stay.
 */
function carryRenamedRoles(before: Project, next: Project, workflow: Workflow, now: string): Project {
  if (next === before || !Array.isArray(workflow.lanes)) return next;
  const old = before.workflows.find((w) => w.id === workflow.id);
  if (!old || !Array.isArray(old.lanes)) return next;
  const inUse = new Set(
    next.workflows.flatMap((w) => (Array.isArray(w.lanes) ? w.lanes.map((l) => l.name) : [])),
  );
  let settings = next.meta.settings;
  for (const lane of workflow.lanes) {
    const was = old.lanes.find((l) => l.id === lane.id);
    if (!was || was.name === lane.name || inUse.has(was.name)) continue;
    settings = withTrainingRoleRenamed(settings, was.name, lane.name);
    settings = withOwnerRoleRenamed(settings, was.name, lane.name);
  }
  return settings === next.meta.settings ? next : withMeta(next, { settings: { ...settings } }, now);
}

/** Adds a document that must be new: its id may not be in use (an add never replaces). */
function addDocument<K extends DocumentKind>(
  project: Project,
  kind: K,
  document: DocumentOf<K>,
  now: string,
  changeType: string,
): Project {
  const id = documentId(document);
  if (id.trim() !== '' && documentsOf(project, kind).some((d) => documentId(d) === id)) {
    throw new ProjectChangeError(
      'duplicate-id',
      changeType,
      `A ${kind} with id "${id}" is already in this project; an added ${kind} needs a new id.`,
    );
  }
  return putDocument(project, kind, document, now, changeType);
}

function removeDocument(
  project: Project,
  kind: DocumentKind,
  id: string,
  now: string,
  changeType: string,
): Project {
  const current = documentsOf(project, kind);
  const next = current.filter((d) => documentId(d) !== id);
  if (next.length === current.length) {
    throw new ProjectChangeError(
      'unknown-document',
      changeType,
      `There is no ${kind} with id "${id}" in this project to remove.`,
    );
  }
  return { ...project, [COLLECTION_OF[kind]]: next, meta: { ...project.meta, updatedAt: now } };
}

/** The stored review a change names; refused (unknown-document) when there is none, saying what for. */
function storedReview(project: Project, change: { type: string; reviewId: string }, what: string): Review {
  const review = project.reviews?.find((r) => r.id === change.reviewId);
  if (review) return review;
  throw new ProjectChangeError(
    'unknown-document',
    change.type,
    `There is no review with id "${change.reviewId}" in this project ${what}.`,
  );
}

/**
 * `apply()`'s result; an error of `refusal` (the core's word that a change does not hold) becomes
 * the project change's refusal of `kind`, with its message; any other error passes as it is.
 */
function refusedAs<T>(
  refusal: abstract new (...args: never[]) => Error,
  kind: ProjectChangeErrorCode,
  changeType: string,
  apply: () => T,
): T {
  try {
    return apply();
  } catch (error) {
    if (error instanceof refusal) throw new ProjectChangeError(kind, changeType, error.message);
    throw error;
  }
}

/** True when `a` and `b` are the same JSON document; false also when `b` is not JSON at all. */
function sameJson(a: unknown, b: unknown): boolean {
  try {
    return canonicalJson(a) === canonicalJson(b);
  } catch {
    return false; // canonicalJson refuses non-JSON values (undefined, NaN…): not the same document
  }
}

/**
 * A locked sample plan never changes (src/core/signoff/sampling/planLock.ts: review decisions and the
 * signature cite its hash); putting a different document under its id is refused. Putting the
 * same content again is harmless and allowed.
 */
function refuseLockedPlanEdit(project: Project, plan: SamplePlan, changeType: string): void {
  if (plan === null || typeof plan !== 'object') return; // putDocument refuses it with its own message
  const stored = project.samplePlans.find((p) => p.id === plan.id);
  if (stored?.lock === undefined || stored === plan) return;
  if (!sameJson(stored, plan)) {
    throw new ProjectChangeError(
      'locked-document',
      changeType,
      `Sample plan "${plan.id}" is locked and cannot change; make a new plan that supersedes it.`,
    );
  }
}

/**
 * Decisions are append-only (their audit entries cite them): putting a review that drops or
 * changes a decision the stored review holds is refused; adding decisions is allowed.
 */
function refuseDroppedDecisions(project: Project, review: Review, changeType: string): void {
  if (review === null || typeof review !== 'object' || !Array.isArray(review.decisions)) return;
  const stored = project.reviews?.find((r) => r.id === review.id);
  if (!stored || stored === review) return;
  const kept = stored.decisions.every(
    (d, i) => review.decisions[i] === d || sameJson(d, review.decisions[i]),
  );
  if (!kept) {
    throw new ProjectChangeError(
      'locked-document',
      changeType,
      `Review "${review.id}" has recorded decisions, which cannot change or be removed; add a new decision instead.`,
    );
  }
}

/**
 * Signatures made on the team server and kept with a review are its only copy on this computer
 * (the report, the Bundle and the export carry them): putting a review that drops or changes one
 * the stored review holds is refused; adding one is allowed.
 */
function refuseDroppedServerSignatures(project: Project, review: Review, changeType: string): void {
  if (review === null || typeof review !== 'object') return;
  const stored = project.reviews?.find((r) => r.id === review.id);
  if (!stored || stored === review || (stored.serverSignatures ?? []).length === 0) return;
  const next = new Map(
    (Array.isArray(review.serverSignatures) ? review.serverSignatures : []).map((s) => [s?.id, s] as const),
  );
  const lost = (stored.serverSignatures ?? []).filter((s) => {
    const kept = next.get(s.id);
    return kept !== s && (kept === undefined || !sameJson(s, kept));
  });
  if (lost.length > 0) {
    throw new ProjectChangeError(
      'locked-document',
      changeType,
      `Review "${review.id}" keeps ${lost.length === 1 ? 'a reviewer’s signature' : `${lost.length} reviewers’ signatures`} kept from the team server, which cannot change or be removed; save the review with ${lost.length === 1 ? 'it' : 'them'} as kept.`,
    );
  }
}

/**
 * Applies one change and returns the next project; `project` is never modified.
 *
 * Only the touched collection array and `meta` are new objects; every other document and array
 * keeps its identity. `meta.updatedAt` becomes `now`. A change that changes nothing (putting
 * the very same document object, renaming to the current name, setting the same settings
 * object) returns `project` itself, so it costs no write.
 *
 * @throws ProjectChangeError for a change that cannot apply: a blank name, settings that are
 *   not an object, a document without an id, adding a report under an id already in use,
 *   removing a document that is not there, changing a locked sample plan.
 */
export function applyChange(project: Project, change: ProjectChange, now: string): Project {
  switch (change.type) {
    case 'project/rename': {
      const name = checkName(change.name, change.type);
      return name === project.meta.name ? project : withMeta(project, { name }, now);
    }
    case 'project/settings': {
      if (!isPlainObject(change.settings)) {
        throw new ProjectChangeError('invalid-settings', change.type, 'Project settings must be an object.');
      }
      return change.settings === project.meta.settings
        ? project
        : withMeta(project, { settings: change.settings }, now);
    }
    case 'workflow/put':
      return carryRenamedRoles(
        project,
        putDocument(project, 'workflow', change.workflow, now, change.type),
        change.workflow,
        now,
      );
    case 'dataset/put':
      return putDocument(project, 'dataset', change.dataset, now, change.type);
    case 'mapping/put':
      return putDocument(project, 'mapping', change.mapping, now, change.type);
    case 'samplePlan/put':
      refuseLockedPlanEdit(project, change.samplePlan, change.type);
      return putDocument(project, 'samplePlan', change.samplePlan, now, change.type);
    case 'report/put':
      return putDocument(project, 'report', change.report, now, change.type);
    case 'report/add':
      if (!isPlainObject(change.report)) {
        // as put does: spreading a non-object would make a report of nothing but an id
        throw new ProjectChangeError('missing-id', change.type, 'A report to add must be a document object.');
      }
      return addDocument(project, 'report', { ...change.report, id: change.id }, now, change.type);
    case 'schema/put':
      return putDocument(project, 'schema', change.schema, now, change.type);
    case 'review/put':
      refuseDroppedDecisions(project, change.review, change.type);
      refuseDroppedServerSignatures(project, change.review, change.type);
      return putDocument(project, 'review', change.review, now, change.type);
    case 'workflowCheck/put':
      return putDocument(project, 'workflowCheck', change.workflowCheck, now, change.type);
    case 'logMap/put':
      return putDocument(project, 'logMap', change.logMap, now, change.type);
    case 'workflowBackTest/put':
      return putDocument(project, 'workflowBackTest', change.workflowBackTest, now, change.type);
    case 'review/decide': {
      const review = storedReview(project, change, 'to add a decision to');
      // with a roster, who decides is a roster member in the stage's role (not a typed id)
      const refused = rosterDecisionRefusal(
        project.meta.roster,
        change.decision.reviewer.id,
        change.decision.stage,
      );
      if (refused) throw new ProjectChangeError('invalid-decision', change.type, refused);
      const next = refusedAs(ReviewChangeError, 'invalid-decision', change.type, () =>
        addDecision(review, change.decision),
      );
      return putDocument(project, 'review', next, now, change.type);
    }
    case 'review/sign': {
      const review = storedReview(project, change, 'to sign');
      const next = refusedAs(SignatureError, 'invalid-signature', change.type, () =>
        addSignature(review, change.signature),
      );
      return putDocument(project, 'review', next, now, change.type);
    }
    case 'review/server-record': {
      const review = storedReview(project, change, "to keep the team server's record in");
      const next = refusedAs(ServerRecordError, 'invalid-decision', change.type, () => {
        const plan = project.samplePlans.find(
          (p) => p.id === review.plan.id && planHash(p) === review.plan.hash,
        );
        return withServerRecord(review, change, plan);
      });
      return putDocument(project, 'review', next, now, change.type);
    }
    case 'roster/change':
      return refusedAs(RosterError, 'invalid-roster', change.type, () =>
        withMeta(project, { roster: addRosterChange(project.meta.roster, change.change) }, now),
      );
    case 'workflow/remove':
    case 'dataset/remove':
    case 'mapping/remove':
    case 'samplePlan/remove':
    case 'report/remove':
    case 'schema/remove':
    case 'review/remove':
    case 'workflowCheck/remove':
    case 'logMap/remove':
    case 'workflowBackTest/remove':
      return removeDocument(project, changeKind(change) as DocumentKind, change.id, now, change.type);
    default: {
      const unknown = change as { type?: unknown };
      throw new ProjectChangeError(
        'unknown-change',
        String(unknown.type),
        `"${String(unknown.type)}" is not a project change this version of Preflight knows.`,
      );
    }
  }
}

/** Applies changes in order (e.g. a batch from one user action); same guarantees as `applyChange`. */
export function applyChanges(project: Project, changes: readonly ProjectChange[], now: string): Project {
  return changes.reduce((p, change) => applyChange(p, change, now), project);
}
