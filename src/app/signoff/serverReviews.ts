/**
 * The browser's side of review assignments on the team server: the lead sends a locked sample's
 * record pairs and who reviews which pass; a reviewer lists her records, opens one (the server
 * records each read) and posts her decisions, which wait in order on this computer (an outbox in
 * IndexedDB, src/core/signoff/review/decisionOutbox.ts) until the server has them. The server decides and checks
 * everything; each request and answer is typed by its route's contract (src/core/teamApi), which
 * the server validates with.
 *
 * Constraints: the record pairs go to the configured team server only, in request bodies, never
 * in a URL (a record key may be a medical record number: records are named by their position);
 * every state-changing request carries the session's CSRF token (after she signs in again, the
 * new session's, asked of the server: never the old one's); decisions are sent one at a
 * time, oldest first, so the server's order is the order they were made in, and a decision is
 * taken off the outbox only once the server recorded it or refused it (a refusal is kept and said
 * until the reviewer dismisses it). A decision is sent again by the same id: the server answers
 * one it recorded with its entry.
 */

import {
  type DecisionOutbox,
  type OutboxState,
  type OutboxStorage,
  renewingSender,
  type SendOutcome,
  type ShownRecord,
} from '../../core/signoff/review/index.ts';
import type {
  ServedSampleResult,
  ServerSignatureView,
  SignoffExportRecord,
} from '../../core/signoff/signing/index.ts';
import {
  type AnswerOf,
  type AssignedRecord,
  assignedRecordsRoute,
  assignReviewRoute,
  closeAdjudicationRoute,
  listReviewsRoute,
  openRecordRoute,
  postDecisionsRoute,
  postPacketDecisionsRoute,
  type RecordAssignment,
  readDecisionsRoute,
  recordExportRoute,
  reviewSignaturesRoute,
  type ServerDecision,
  type ServerReviewSummary,
  sampleResultsRoute,
  sendPlanRoute,
  sendRecordsRoute,
} from '../../core/teamApi/index.ts';
import type { SignoffTreeHead } from '../../formats/auditLog.ts';
import type { ServerAuditRecord } from '../../formats/projectAudit.ts';
import type { Decision, Review } from '../../formats/review.ts';
import type { SamplePlan } from '../../formats/samplePlan.ts';
import type { DecisionOutboxStore } from '../../storage/decisionOutboxStore.ts';
import { renewSessionToken, TeamError, type TeamSession, teamCall } from '../../storage/teamServer.ts';

export type { AssignedRecord, RecordAssignment, ServerDecision, ServerReviewSummary };

/** A review as its reviewer's list shows it. */
export type AssignedReview = AnswerOf<typeof assignedRecordsRoute>;

/** A record opened on the server: the record pair as the lead's screen showed it. */
export type OpenedRecord = AnswerOf<typeof openRecordRoute>;

/** Record pairs one request carries (the server takes up to 500; a pair is a few kilobytes). */
const RECORDS_PER_REQUEST = 100;

/** The reviews of `projectId` the caller has records in (the lead: every review). */
export async function listServerReviews(
  session: TeamSession,
  projectId: string,
): Promise<ServerReviewSummary[]> {
  return (await teamCall(session, listReviewsRoute, { params: { projectId } })).reviews;
}

/**
 * Sends `review` (its plan's hash and drawn sample, no decisions) and its locked plan `lockedPlan`
 * (the server judges the sample's result against it) to `projectId` with who reviews each record,
 * then the record pairs in batches; resolves to how many pairs were stored.
 */
export async function sendToReviewers(
  session: TeamSession,
  projectId: string,
  review: Review,
  lockedPlan: SamplePlan,
  assignments: readonly RecordAssignment[],
  shown: readonly ShownRecord[],
  onProgress?: (sent: number) => void,
): Promise<number> {
  const { id, plan, sample, dualReview, mapping } = review;
  await teamCall(session, assignReviewRoute, {
    params: { projectId },
    body: {
      review: { id, plan, sample, ...(dualReview ? { dualReview } : {}), ...(mapping ? { mapping } : {}) },
      plan: lockedPlan,
      assignments: [...assignments],
    },
  });
  let sent = 0;
  for (let at = 0; at < shown.length; at += RECORDS_PER_REQUEST) {
    const batch = shown.slice(at, at + RECORDS_PER_REQUEST).map((s) => ({ shown: s }));
    await teamCall(session, sendRecordsRoute, {
      params: { projectId, reviewId: id },
      body: { records: batch },
    });
    sent += batch.length;
    onProgress?.(sent);
  }
  return sent;
}

/** Sends the locked plan of a review sent before the server kept plans (kept once; the review's own only). */
export async function sendPlan(
  session: TeamSession,
  projectId: string,
  reviewId: string,
  plan: SamplePlan,
): Promise<void> {
  await teamCall(session, sendPlanRoute, { params: { projectId, reviewId }, body: { plan } });
}

/** What the server says when the lead closes adjudication on a review. */
type ClosedAdjudication = AnswerOf<typeof closeAdjudicationRoute>;

/**
 * Closes adjudication on `reviewId` (the lead): from then on both reviewers read each other's
 * decisions and comments, and the review takes no more decisions. Closing again answers the same.
 */
export function closeAdjudication(
  session: TeamSession,
  projectId: string,
  reviewId: string,
): Promise<ClosedAdjudication> {
  return teamCall(session, closeAdjudicationRoute, { params: { projectId, reviewId } });
}

/** Every review's result on `projectId` as the server computes it (the lead and the data lead). */
export async function sampleResultsOnServer(
  session: TeamSession,
  projectId: string,
): Promise<ServedSampleResult[]> {
  return (await teamCall(session, sampleResultsRoute, { params: { projectId } })).results;
}

/** The caller's records of `reviewId`, with her pass on each. */
export function assignedRecords(
  session: TeamSession,
  projectId: string,
  reviewId: string,
): Promise<AssignedReview> {
  return teamCall(session, assignedRecordsRoute, { params: { projectId, reviewId } });
}

/** Opens one of the caller's records (the server records the read). */
export function openRecord(
  session: TeamSession,
  projectId: string,
  reviewId: string,
  recordId: number,
): Promise<OpenedRecord> {
  return teamCall(session, openRecordRoute, { params: { projectId, reviewId, recordId: String(recordId) } });
}

/** Every decision of `reviewId` the caller may read now (the blind rules are the server's). */
export async function readDecisions(
  session: TeamSession,
  projectId: string,
  reviewId: string,
): Promise<ServerDecision[]> {
  return (await teamCall(session, readDecisionsRoute, { params: { projectId, reviewId } })).decisions;
}

/** The reviewers' and adjudicators' signatures on `reviewId`, in the server's order. */
export async function readReviewSignatures(
  session: TeamSession,
  projectId: string,
  reviewId: string,
): Promise<ServerSignatureView[]> {
  return (await teamCall(session, reviewSignaturesRoute, { params: { projectId, reviewId } })).signatures;
}

/**
 * Has the server record the export of `reviewId` (what the file holds: `record`); resolves to the
 * server's entry, which the exported file carries, and the head the server signed over its log
 * with the entry in it, with proofs of the entry and of the signature entries `record` names
 * (absent from a server that signs no heads).
 */
export async function recordSignoffExport(
  session: TeamSession,
  projectId: string,
  reviewId: string,
  record: SignoffExportRecord,
): Promise<{ record: ServerAuditRecord; tree?: SignoffTreeHead }> {
  const answer = await teamCall(session, recordExportRoute, {
    params: { projectId, reviewId },
    body: record,
  });
  const { treeHead, logKey, inclusionProofs } = answer;
  return {
    record: answer.record,
    ...(treeHead && logKey && inclusionProofs ? { tree: { treeHead, logKey, inclusionProofs } } : {}),
  };
}

/**
 * Where decisions are posted: `decisions`, made on the server by the caller; `packet-decisions`,
 * merged by the lead from offline review packets (each carrying `imported`), where sending ones
 * recorded before is safe: they are the same entries.
 */
type DecisionRoute = 'decisions' | 'packet-decisions';

/**
 * Posts `decisions` to `route` of `reviewId`, recorded in the server's order; all are recorded, or
 * none and the refusal says which and why. `change`: the id the page gives this change (its echo
 * on the project's stream carries it back).
 */
export async function postDecisions(
  session: TeamSession,
  projectId: string,
  reviewId: string,
  decisions: readonly Decision[],
  route: DecisionRoute = 'decisions',
  change?: string,
): Promise<ServerDecision[]> {
  const contract = route === 'decisions' ? postDecisionsRoute : postPacketDecisionsRoute;
  return (
    await teamCall(
      session,
      contract,
      { params: { projectId, reviewId }, body: { decisions: [...decisions] } },
      change === undefined ? {} : { change },
    )
  ).decisions;
}

// ---- the decisions waiting to be sent ------------------------------------------------------------

/** The reviewer's decisions on one review, kept on this computer until the server has them. */
export type ServerDecisionOutbox = DecisionOutbox<Decision, ServerDecision>;

/** What {@link ServerDecisionOutbox} holds and did last. */
export type ServerOutboxState = OutboxState<Decision, ServerDecision>;

/** Where an earlier version kept the waiting decisions: this browser's local storage. */
export function legacyQueueKey(projectId: string, reviewId: string): string {
  return `preflight.serverDecisions.${projectId}.${reviewId}`;
}

/** The decisions an earlier version left waiting under `key` (read defensively: it is open JSON). */
function legacyWaiting(key: string): Decision[] {
  try {
    const raw = globalThis.localStorage?.getItem(key);
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(parsed)
      ? parsed.filter((d): d is Decision => typeof (d as Decision | null)?.id === 'string')
      : [];
  } catch {
    return [];
  }
}

/**
 * The outbox storage of `reviewId` on `projectId` in `store`, which first moves in what an earlier
 * version left waiting in local storage (kept there until the move is stored; sent from memory
 * when the browser refuses both, so it is never left behind unsent).
 */
export function serverOutboxStorage(
  store: DecisionOutboxStore,
  projectId: string,
  reviewId: string,
): OutboxStorage<Decision> {
  const kept = store.outbox(`${projectId}/${reviewId}`);
  const key = legacyQueueKey(projectId, reviewId);
  return {
    ...kept,
    async load() {
      const legacy = legacyWaiting(key);
      try {
        for (const decision of legacy) await kept.add(decision);
      } catch {
        return { pending: legacy, refused: [] };
      }
      if (legacy.length > 0) globalThis.localStorage?.removeItem(key);
      return kept.load();
    },
  };
}

/** Statuses after which the same request may succeed: the server was busy or down. */
function triedAgainLater(error: TeamError): boolean {
  return error.offline || error.status === 408 || error.status === 429 || error.status >= 500;
}

/** What is said while her decisions wait for her to sign in again. */
export const SIGN_IN_AGAIN =
  'your sign-in to the team server ended (or someone else signed in on this browser). Sign in again as yourself with the link at the top of the page; they are sent as soon as you are back, and nothing is lost';

/**
 * The outbox's transport: one decision posted to `reviewId`, its answer sorted for the outbox.
 * A post turned away for the sign-in waits for her to sign in again: a token from an ended session
 * is replaced by the new session's, fetched from the server (core `renewingSender`), and the
 * decision sent once more by the same id. `sending`: told the id each post gives its change
 * before it goes, so the screen knows the echo.
 */
export function decisionSender(
  session: TeamSession,
  projectId: string,
  reviewId: string,
  sending?: (change: string) => void,
): (decision: Decision) => Promise<SendOutcome<ServerDecision>> {
  return renewingSender<Decision, ServerDecision>({
    post: async (decision) => {
      const change = crypto.randomUUID();
      sending?.(change);
      try {
        const [recorded] = await postDecisions(session, projectId, reviewId, [decision], 'decisions', change);
        if (recorded === undefined)
          return { kind: 'unreachable', message: 'the team server answered nothing' };
        return { kind: 'recorded', recorded };
      } catch (error) {
        if (!(error instanceof TeamError)) return { kind: 'unreachable', message: (error as Error).message };
        if (error.signedOut) return { kind: 'signed-out', message: SIGN_IN_AGAIN };
        if (error.tokenRefused) return { kind: 'token-refused', message: error.message };
        return triedAgainLater(error)
          ? { kind: 'unreachable', message: error.message }
          : { kind: 'refused', message: error.message };
      }
    },
    renew: () => renewSessionToken(session),
    signInAgain: SIGN_IN_AGAIN,
  });
}

/** The first wait between tries; each failed try doubles it, up to {@link LONGEST_RETRY_MS}. */
const FIRST_RETRY_MS = 1_000;
const LONGEST_RETRY_MS = 30_000;

/**
 * Waits before try `attempt` after a failed one: 1 s, 2 s, 4 s… at most 30 s. The wait is for a
 * server that is busy or down; the network coming back (`online`) or any request getting through
 * ends it early (useDecisionOutbox.ts).
 */
export function retryWait(attempt: number): Promise<void> {
  const ms = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempt - 1));
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---- the link from a review on this computer to its team project ---------------------------------

/** The key under the project's settings: which team project each review was sent to. */
export const SERVER_REVIEWS_SETTINGS_KEY = 'serverReviews';

/** The team project `reviewId` was sent to, if any (settings are open JSON: read defensively). */
export function teamProjectOfReview(settings: Record<string, unknown>, reviewId: string): string | undefined {
  const links = settings[SERVER_REVIEWS_SETTINGS_KEY];
  if (links === null || typeof links !== 'object') return undefined;
  const project = (links as Record<string, unknown>)[reviewId];
  return typeof project === 'string' ? project : undefined;
}

/** Settings with `reviewId` linked to team project `projectId`. */
export function withTeamProjectOfReview(
  settings: Record<string, unknown>,
  reviewId: string,
  projectId: string,
): Record<string, unknown> {
  const links = settings[SERVER_REVIEWS_SETTINGS_KEY];
  const current = links !== null && typeof links === 'object' ? (links as Record<string, unknown>) : {};
  return { ...settings, [SERVER_REVIEWS_SETTINGS_KEY]: { ...current, [reviewId]: projectId } };
}
