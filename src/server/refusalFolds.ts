/**
 * Refused attempts in the audit log, folded and limited. Every refused attempt on a decision, a
 * signature, a key or a role is evidence (who tried what, why it was refused), but a member who
 * repeats one 150 times must not write 150 entries and push the real ones out of the lead's view.
 *
 * Model: an attempt's fold is who (issuer, subject), what (its kind and target) and why (its
 * reason code) in one project. The first attempt of a fold is an entry at once, carrying the
 * fold's id (`detail.fold`). Repeats within {@link REFUSAL_FOLD_WINDOW_MS} of it append nothing:
 * they add one to the fold's counter (a row of `rate_limit_windows`, in the refusal's
 * transaction). The count becomes one `refusal-repeated` entry ("repeated N times", naming the
 * first entry) at the project's next other entry, or at the fold's next attempt after its window,
 * whichever comes first (auditLog.ts `recordRepeats`). Beyond {@link REFUSALS_PER_MEMBER} folds
 * of one person in one window, her further refused attempts, whatever they are, fold into one
 * `refusals-limited` entry and its count: a person varying her target cannot bury the log either.
 *
 * Constraints: the log stays append-only and each entry a leaf of the project's Merkle tree as
 * written: nothing written is changed, a count is a new entry. A counter not yet recorded is not
 * under any head: whoever holds the database login can drop it (as she can append entries), and
 * the first entry of its fold is in the log whatever happens to it. Appends and counters are
 * serialised by the audit lock, so two processes count one fold together.
 */
import { canonicalSha256Hex } from '../core/hash/index.ts';
import {
  type AuditEvent,
  appendAudit,
  foldKeyPrefix,
  lockAudit,
  recordRepeats,
  type ServerAuditEntry,
} from './auditLog.ts';
import type { Queryable } from './database.ts';
import { countRequest } from './rateLimits.ts';

/** How long repeats of a refused attempt are counted into its first entry. */
export const REFUSAL_FOLD_WINDOW_MS = 10 * 60_000;

/** How many folds of refused attempts one person opens in a project per window, at most. */
export const REFUSALS_PER_MEMBER = 10;

/** The fields of a refusal's detail that are not what identifies its fold (the evidence). */
const NOT_THE_FOLD = new Set(['session', 'signedInAt']);

/** A refused attempt to record: an event of a project (`detail.project`), by a signed-in person. */
export type RefusalEvent = AuditEvent & {
  actor: NonNullable<AuditEvent['actor']>;
  detail: Record<string, string> & { project: string };
};

/**
 * Records the refused attempt `event` in `tx` (the transaction that refuses it, or one of its own
 * once the refusal rolled back): its entry if it is the first of its fold, else one more in its
 * fold's count. Returns the entry appended, or undefined when the attempt was counted.
 */
export async function appendRefusal(
  tx: Queryable,
  event: RefusalEvent,
): Promise<ServerAuditEntry | undefined> {
  await lockAudit(tx);
  const { project } = event.detail;
  const { issuer, subject } = event.actor;
  const what = Object.fromEntries(Object.entries(event.detail).filter(([k]) => !NOT_THE_FOLD.has(k)));
  const fold = canonicalSha256Hex({ kind: event.kind, issuer, subject, what });
  if (await counted(tx, project, fold, event.at)) return undefined;
  // a new fold: within the person's limit it is an entry of its own, past it one of the person's overflow
  const opened = await countRequest(
    tx,
    `audit-folds-of|${project}|${canonicalSha256Hex({ issuer, subject })}`,
    event.at,
    REFUSAL_FOLD_WINDOW_MS,
  );
  if (opened.current <= REFUSALS_PER_MEMBER)
    return openFold(tx, fold, { ...event, detail: { ...event.detail, fold } });
  const overflow = canonicalSha256Hex({ kind: 'refusals-limited', issuer, subject });
  if (await counted(tx, project, overflow, event.at)) return undefined;
  return openFold(tx, overflow, {
    at: event.at,
    kind: 'refusals-limited',
    actor: event.actor,
    detail: {
      project,
      fold: overflow,
      limit: String(REFUSALS_PER_MEMBER),
      windowMinutes: String(REFUSAL_FOLD_WINDOW_MS / 60_000),
      ...(event.detail.session === undefined ? {} : { session: event.detail.session }),
      ...(event.detail.signedInAt === undefined ? {} : { signedInAt: event.detail.signedInAt }),
    },
  });
}

/**
 * Counts one more attempt of `fold` when its window is open (true); when it has closed, records
 * its count and forgets it (false: the attempt opens the fold again).
 */
async function counted(tx: Queryable, project: string, fold: string, at: number): Promise<boolean> {
  const key = foldKeyPrefix(project) + fold;
  const rows = await tx.query<{ ends_at: Date | string }>(
    'SELECT ends_at FROM rate_limit_windows WHERE key = $1 FOR UPDATE',
    [key],
  );
  const row = rows[0];
  if (row === undefined) return false;
  if (new Date(row.ends_at).getTime() > at) {
    await tx.query('UPDATE rate_limit_windows SET hits = hits + 1 WHERE key = $1', [key]);
    return true;
  }
  await recordRepeats(tx, project, at, key);
  await tx.query('DELETE FROM rate_limit_windows WHERE key = $1', [key]);
  return false;
}

/** Appends the first entry of `fold` and starts its count. */
async function openFold(tx: Queryable, fold: string, event: RefusalEvent): Promise<ServerAuditEntry> {
  const entry = await appendAudit(tx, event);
  await tx.query(
    `INSERT INTO rate_limit_windows (key, hits, ends_at) VALUES ($1, 1, $2::timestamptz)
     ON CONFLICT (key) DO UPDATE SET hits = 1, ends_at = EXCLUDED.ends_at`,
    [foldKeyPrefix(event.detail.project) + fold, new Date(event.at + REFUSAL_FOLD_WINDOW_MS).toISOString()],
  );
  return entry;
}

/** The longest id an entry keeps of what a refused request named. */
const MAX_TARGET_ID = 128;

/**
 * What a refused batch of decisions tried, as its entry names it: the first decision's id,
 * stratum and record key (as a decision's own entry names them) and how many the batch held.
 */
export function decisionsTried(request: {
  body: { decisions: readonly { id?: string; stratum?: string; recordKey?: string }[] };
}): Record<string, string> {
  const { decisions } = request.body;
  const first = decisions[0];
  const bounded = (name: string, value: string | undefined) =>
    value === undefined ? {} : { [name]: value.slice(0, MAX_TARGET_ID) };
  return {
    decisions: String(decisions.length),
    ...bounded('decision', first?.id),
    ...bounded('stratum', first?.stratum),
    ...bounded('recordKey', first?.recordKey),
  };
}
