/**
 * The sign-off audit chain (docs/decisions/0004-audit-chain.md): one entry per recorded decision or
 * sign-off signature, each holding the hash of the previous entry and its own hash over its
 * canonical JSON, so changing, removing or reordering any entry breaks every hash after it. Entries
 * hold ids, hashes and outcomes — never record content.
 *
 * Besides decisions and signatures, the chain records every other step of the sign-off as a
 * "trail" entry ({@link trailSubjects}): plans locked, samples drawn, roster changes (members and
 * keys), review packets exported and clinicians' results merged, reviewers' signatures brought in
 * from the team server — and the approvers' signatures on the steering committee's go/no-go, so one chain holds every signature a go-live rests on.
 *
 * Constraints:
 * - Pure and synchronous (storage computes entries inside an IndexedDB transaction, where any
 *   await of something other than a request would let the transaction commit early).
 * - hash = SHA-256 of the RFC 8785 canonical JSON of the entry without `hash`: changing what goes
 *   into it breaks every exported log.
 */
import {
  type AuditEntry,
  type ChainEntry,
  GENESIS_HASH,
  type SignatureAuditEntry,
  TRAIL_EVENTS,
  type TrailAuditEntry,
} from '../../../formats/auditLog.ts';
import type { Decision, Review, Signature } from '../../../formats/review.ts';
import type { Roster } from '../../../formats/roster.ts';
import type { SamplePlan } from '../../../formats/samplePlan.ts';
import type { SteeringDecision } from '../../../formats/steering.ts';
import { canonicalSha256Hex } from '../../hash/index.ts';
import { planHash } from '../sampling/planLock.ts';

export { GENESIS_HASH };

/** SHA-256 of a decision's canonical JSON: what its audit entry binds. */
export function decisionHash(decision: Decision): string {
  return canonicalSha256Hex(decision);
}

/** SHA-256 of a signature's canonical JSON (re-authentication included): what its audit entry binds. */
export function signatureHash(signature: Signature): string {
  return canonicalSha256Hex(signature);
}

/** The hash of an entry: over the entry without its `hash`. */
export function entryHash(
  entry: (Omit<AuditEntry, 'hash'> | Omit<SignatureAuditEntry, 'hash'> | Omit<TrailAuditEntry, 'hash'>) & {
    hash?: unknown;
  },
): string {
  const { hash: _ignored, ...rest } = entry;
  return canonicalSha256Hex(rest);
}

/** The entry that records `decision` of review `reviewId` after `previous` (undefined: the first). */
export function auditEntryFor(
  previous: Pick<AuditEntry, 'seq' | 'hash'> | undefined,
  reviewId: string,
  decision: Decision,
): AuditEntry {
  const body: Omit<AuditEntry, 'hash'> = {
    seq: (previous?.seq ?? 0) + 1,
    prevHash: previous?.hash ?? GENESIS_HASH,
    event: 'decision',
    at: decision.decidedAt,
    reviewId,
    decisionId: decision.id,
    planHash: decision.planHash,
    stratum: decision.stratum,
    outcome: decision.outcome,
    reviewerId: decision.reviewer.id,
    decisionSha256: decisionHash(decision),
    ...(decision.change
      ? { replaces: decision.change.replaces, previousOutcome: decision.change.previousOutcome }
      : {}),
  };
  return { ...body, hash: entryHash(body) };
}

/** The entry that records `signature` of review `reviewId` after `previous` (undefined: the first). */
export function signatureEntryFor(
  previous: Pick<ChainEntry, 'seq' | 'hash'> | undefined,
  reviewId: string,
  signature: Signature,
): SignatureAuditEntry {
  const body: Omit<SignatureAuditEntry, 'hash'> = {
    seq: (previous?.seq ?? 0) + 1,
    prevHash: previous?.hash ?? GENESIS_HASH,
    event: 'signature',
    at: signature.signedAt,
    reviewId,
    signatureId: signature.id,
    planHash: signature.planHash,
    signerId: signature.signer.id,
    signatureSha256: signatureHash(signature),
  };
  return { ...body, hash: entryHash(body) };
}

/** What a trail entry records: the entry without its place in the chain. */
type TrailSubject = Omit<TrailAuditEntry, 'seq' | 'prevHash' | 'hash'>;

/** The key of a trail entry or subject: its event and subject id (unique within a chain). */
export function trailKey(subject: Pick<TrailAuditEntry, 'event' | 'subjectId'>): string {
  return `${subject.event}\u001f${subject.subjectId}`;
}

/** What a project holds that trail entries record. */
export interface TrailSources {
  samplePlans?: readonly SamplePlan[];
  reviews?: readonly Review[];
  roster?: Roster;
  /** the steering committee's decisions (each signature gets an entry) */
  steering?: readonly SteeringDecision[];
}

/**
 * Every step of `sources` a trail entry records, in the order they are chained when several are
 * new at once: roster changes (in order), plan locks, sample draws, packet exports, results merged,
 * reviewers' server signatures brought in, steering signatures (by decision, then signature).
 */
export function trailSubjects(sources: TrailSources): TrailSubject[] {
  const out: TrailSubject[] = [];
  for (const change of sources.roster?.changes ?? []) {
    out.push({
      event: 'roster',
      at: change.at,
      subjectId: change.id,
      subjectSha256: canonicalSha256Hex(change),
      change: change.kind,
      staffId: change.kind === 'member' ? change.member.staffId : change.staffId,
      by: change.by,
    });
  }
  for (const plan of sources.samplePlans ?? []) {
    if (!plan.lock) continue;
    const hash = planHash(plan);
    out.push({
      event: 'plan-lock',
      at: plan.lock.lockedAt,
      subjectId: hash,
      subjectSha256: hash,
      planHash: hash,
      ...(plan.lock.lockedBy ? { by: plan.lock.lockedBy } : {}),
    });
  }
  for (const review of sources.reviews ?? []) {
    out.push({
      event: 'sample-draw',
      at: review.sample.drawnAt,
      subjectId: review.id,
      subjectSha256: canonicalSha256Hex(review.sample),
      reviewId: review.id,
      planHash: review.plan.hash,
      ...(review.sample.drawnBy ? { by: review.sample.drawnBy } : {}),
    });
  }
  for (const review of sources.reviews ?? []) {
    for (const packet of review.packets ?? []) {
      out.push({
        event: 'packet-export',
        at: packet.createdAt,
        subjectId: packet.id,
        subjectSha256: packet.sha256,
        reviewId: review.id,
        ...(packet.exportedBy ? { by: packet.exportedBy } : {}),
      });
    }
  }
  for (const review of sources.reviews ?? []) {
    const merges = new Map<string, { at: string; by?: string; head: string; decisions: number }>();
    for (const decision of review.decisions) {
      if (!decision.imported) continue;
      const key = `${decision.imported.packetSha256}:${decision.imported.chainHead}`;
      const merge = merges.get(key);
      if (merge) merge.decisions++;
      else
        merges.set(key, {
          // the merge's own time; a file from before merges kept it has only the decisions' times
          at: decision.imported.mergedAt ?? decision.decidedAt,
          ...(decision.imported.mergedBy ? { by: decision.imported.mergedBy } : {}),
          head: decision.imported.chainHead,
          decisions: 1,
        });
    }
    for (const [key, merge] of merges)
      out.push({
        event: 'packet-merge',
        at: merge.at,
        subjectId: key,
        subjectSha256: merge.head,
        reviewId: review.id,
        decisions: merge.decisions,
        ...(merge.by ? { by: merge.by } : {}),
      });
  }
  // reviewers' signatures brought in from the team server: when the lead brought each in, naming
  // its entry in the server's log (which holds the signing itself)
  for (const review of sources.reviews ?? []) {
    for (const signature of review.serverSignatures ?? []) {
      const { server } = signature.reauthentication;
      out.push({
        event: 'server-signature',
        at: signature.keptAt ?? signature.signedAt,
        subjectId: signature.id,
        subjectSha256: canonicalSha256Hex(signature),
        reviewId: review.id,
        staffId: signature.signer.id,
        meaning: signature.meaning,
        serverProject: server.project,
        serverEntry: server.projectSeq,
        serverEntryHash: server.entryHash,
        ...(signature.keptBy ? { by: signature.keptBy } : {}),
      });
    }
  }
  for (const decision of sources.steering ?? []) {
    for (const signature of decision.signatures) {
      out.push({
        event: 'steering-signature',
        at: signature.signedAt,
        subjectId: signature.id,
        subjectSha256: canonicalSha256Hex(signature),
        staffId: signature.signer.id,
        steeringDecisionId: decision.id,
      });
    }
  }
  return out;
}

/** The entry that records `subject` after `previous` (undefined: the first). */
function trailEntryFor(
  previous: Pick<ChainEntry, 'seq' | 'hash'> | undefined,
  subject: TrailSubject,
): TrailAuditEntry {
  const body: Omit<TrailAuditEntry, 'hash'> = {
    seq: (previous?.seq ?? 0) + 1,
    prevHash: previous?.hash ?? GENESIS_HASH,
    ...subject,
  };
  return { ...body, hash: entryHash(body) };
}

/** The entries that record each of `subjects` not in `logged` (trail keys), chained after `head`. */
export function pendingTrailEntries(
  head: Pick<ChainEntry, 'seq' | 'hash'> | undefined,
  subjects: readonly TrailSubject[],
  logged: ReadonlySet<string>,
): TrailAuditEntry[] {
  const out: TrailAuditEntry[] = [];
  let previous = head;
  const seen = new Set(logged);
  for (const subject of subjects) {
    const key = trailKey(subject);
    if (seen.has(key)) continue;
    seen.add(key);
    const entry = trailEntryFor(previous, subject);
    out.push(entry);
    previous = entry;
  }
  return out;
}

/**
 * The entries that record every decision of `reviews` not yet in the log (`logged`: the ids of
 * decisions already recorded), chained after `head`, in review then decision order.
 */
export function pendingAuditEntries(
  head: Pick<AuditEntry, 'seq' | 'hash'> | undefined,
  reviews: readonly Review[],
  logged: ReadonlySet<string>,
): AuditEntry[] {
  const out: AuditEntry[] = [];
  let previous = head;
  for (const review of reviews) {
    for (const decision of review.decisions) {
      if (logged.has(decision.id)) continue;
      const entry = auditEntryFor(previous, review.id, decision);
      out.push(entry);
      previous = entry;
    }
  }
  return out;
}

/** Why an entry breaks the chain (public codes: add, never rename). */
export type AuditBreak =
  | 'malformed'
  | 'sequence'
  | 'previous-hash'
  | 'entry-hash'
  | 'decision-missing'
  | 'decision-changed'
  | 'signature-missing'
  | 'signature-changed'
  | 'roster-missing'
  | 'roster-changed'
  | 'step-missing'
  | 'step-changed';

/** What {@link verifyAuditChain} finds. */
export type AuditVerification =
  | { ok: true; entries: number; head: string }
  | {
      ok: false;
      /** 1-based position of the first broken entry in the list */
      entry: number;
      reason: AuditBreak;
      message: string;
    };

const SHA256 = /^[0-9a-f]{64}$/;
/** How a message names each trail step. */
const STEP_NAMES = {
  'plan-lock': 'plan lock',
  'sample-draw': 'drawn sample',
  roster: 'roster change',
  'packet-export': 'packet export',
  'packet-merge': 'results merge',
  'steering-signature': 'steering signature',
  'server-signature': 'reviewer’s signature kept from the team server',
} as const;
const ENTRY_STRING_FIELDS = [
  'event',
  'at',
  'reviewId',
  'decisionId',
  'stratum',
  'outcome',
  'reviewerId',
] as const;
const SIGNATURE_ENTRY_STRING_FIELDS = ['event', 'at', 'reviewId', 'signatureId', 'signerId'] as const;

function malformedTrail(entry: Record<string, unknown>): string | undefined {
  for (const field of ['prevHash', 'hash', 'subjectSha256'] as const) {
    if (typeof entry[field] !== 'string' || !SHA256.test(entry[field] as string))
      return `has no SHA-256 in "${field}"`;
  }
  for (const field of ['at', 'subjectId'] as const) {
    if (typeof entry[field] !== 'string') return `has no text in "${field}"`;
  }
  return undefined;
}

function malformed(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'is not an object';
  const entry = value as Record<string, unknown>;
  if (!Number.isSafeInteger(entry.seq)) return 'has no whole-number "seq"';
  if ((TRAIL_EVENTS as readonly unknown[]).includes(entry.event)) return malformedTrail(entry);
  const signature = entry.event === 'signature';
  const hashes = signature
    ? (['prevHash', 'hash', 'planHash', 'signatureSha256'] as const)
    : (['prevHash', 'hash', 'planHash', 'decisionSha256'] as const);
  for (const field of hashes) {
    if (typeof entry[field] !== 'string' || !SHA256.test(entry[field] as string))
      return `has no SHA-256 in "${field}"`;
  }
  for (const field of signature ? SIGNATURE_ENTRY_STRING_FIELDS : ENTRY_STRING_FIELDS) {
    if (typeof entry[field] !== 'string') return `has no text in "${field}"`;
  }
  return undefined;
}

/**
 * Verifies a chain, oldest first, and names the first broken entry: malformed, out of sequence,
 * a `prevHash` that is not the previous entry's hash, a `hash` that does not match the entry.
 * With `reviews`, every logged decision and signature must be in them with the same hash (one
 * edited after it was logged, or removed, breaks its entry). Never throws; messages hold no values.
 */
export function verifyAuditChain(
  entries: readonly unknown[],
  reviews?: readonly Review[],
  steps?: { roster?: Roster; plans?: readonly SamplePlan[]; steering?: readonly SteeringDecision[] },
): AuditVerification {
  // what the file holds of the steps trail entries record (only those it carries are checked)
  const held = new Map(
    trailSubjects({
      reviews,
      roster: steps?.roster,
      samplePlans: steps?.plans,
      steering: steps?.steering,
    }).map((s) => [trailKey(s), s]),
  );
  const checks = {
    roster: steps?.roster !== undefined,
    'plan-lock': steps?.plans !== undefined,
    'sample-draw': reviews !== undefined,
    'packet-export': reviews !== undefined,
    'packet-merge': reviews !== undefined,
    'steering-signature': steps?.steering !== undefined,
    'server-signature': reviews !== undefined,
  } as const;
  const decisions = reviews
    ? new Map(reviews.flatMap((r) => r.decisions.map((d) => [`${r.id}\u001f${d.id}`, d] as const)))
    : undefined;
  const signatures = reviews
    ? new Map(reviews.flatMap((r) => (r.signatures ?? []).map((s) => [`${r.id}\u001f${s.id}`, s] as const)))
    : undefined;
  let previousHash = GENESIS_HASH;
  for (let index = 0; index < entries.length; index++) {
    const raw = entries[index];
    const at = index + 1;
    const broken = (reason: AuditBreak, message: string): AuditVerification => ({
      ok: false,
      entry: at,
      reason,
      message: `entry ${at}: ${message}`,
    });
    const shape = malformed(raw);
    if (shape) return broken('malformed', shape);
    const entry = raw as ChainEntry;
    if (entry.seq !== at) return broken('sequence', `its position number is ${entry.seq}, expected ${at}`);
    if (entry.prevHash !== previousHash)
      return broken(
        'previous-hash',
        'does not follow the entry before it (its previous hash differs): an entry was changed, removed or inserted',
      );
    let hash: string;
    try {
      hash = entryHash(entry);
    } catch {
      return broken('malformed', 'is not plain JSON data');
    }
    if (hash !== entry.hash)
      return broken('entry-hash', 'its content does not match its hash: it was changed');
    if (entry.event !== 'signature' && entry.event !== 'decision') {
      if (checks[entry.event]) {
        let subject: TrailSubject | undefined;
        try {
          subject = held.get(trailKey(entry));
        } catch {
          subject = undefined;
        }
        const roster = entry.event === 'roster';
        if (!subject)
          return roster
            ? broken('roster-missing', 'the roster change it records is not in the file')
            : broken('step-missing', `the ${STEP_NAMES[entry.event]} it records is not in the file`);
        const { seq: _seq, prevHash: _prev, hash: _hash, ...logged } = entry;
        if (canonicalSha256Hex(subject) !== canonicalSha256Hex(logged))
          return roster
            ? broken('roster-changed', 'the roster change it records was changed after it was logged')
            : broken(
                'step-changed',
                `the ${STEP_NAMES[entry.event]} it records was changed after it was logged`,
              );
      }
    } else if (signatures && entry.event === 'signature') {
      const signature = signatures.get(`${entry.reviewId}\u001f${entry.signatureId}`);
      if (!signature) return broken('signature-missing', 'the signature it records is not in the file');
      let recorded: string;
      try {
        recorded = signatureHash(signature);
      } catch {
        return broken('signature-changed', 'the signature it records is not plain JSON data');
      }
      if (recorded !== entry.signatureSha256)
        return broken('signature-changed', 'the signature it records was changed after it was logged');
    } else if (decisions && entry.event === 'decision') {
      const decision = decisions.get(`${entry.reviewId}\u001f${entry.decisionId}`);
      if (!decision) return broken('decision-missing', 'the decision it records is not in the file');
      let recorded: string;
      try {
        recorded = decisionHash(decision);
      } catch {
        return broken('decision-changed', 'the decision it records is not plain JSON data');
      }
      if (recorded !== entry.decisionSha256)
        return broken('decision-changed', 'the decision it records was changed after it was logged');
    }
    previousHash = entry.hash;
  }
  return { ok: true, entries: entries.length, head: previousHash };
}
