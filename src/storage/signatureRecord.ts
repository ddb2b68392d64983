/**
 * Sign-off signatures in the `audit` store (src/storage/auditRecord.ts): each new signature of a
 * review gets its own entry, appended with `add()` in the same strict transaction that stores the
 * review holding it, after the decisions' entries of that write.
 *
 * A signature binds the chain head it was prepared over (src/core/signoff/signing/signature.ts), which is
 * usually the entry right before its own. When the chain moved on meanwhile (a decision recorded
 * in another tab), the entries in between are simply not covered by the signature — the verifier
 * recomputes the signed results from the entries up to the head it names. Nothing is refused
 * here: a write that could never succeed would keep the whole project from being saved.
 */
import type { IDBPObjectStore } from 'idb';
import { signatureEntryFor } from '../core/signoff/signing/index.ts';
import type { ChainEntry, SignatureAuditEntry } from '../formats/auditLog.ts';
import type { Review } from '../formats/review.ts';
import { projectAuditRange, toAuditEntry } from './auditRecord.ts';
import type { PreflightDbSchema, PreflightStoreName } from './dbSchema.ts';

type AuditStore = IDBPObjectStore<PreflightDbSchema, ArrayLike<PreflightStoreName>, 'audit', 'readwrite'>;

/**
 * Inside a project write: appends, with `add()`, an entry for every signature of `reviews` the
 * project's chain does not record yet, after the chain's current head. Returns the entries.
 */
export async function appendSignatureEntries(
  store: AuditStore,
  projectId: string,
  reviews: readonly Review[],
): Promise<SignatureAuditEntry[]> {
  if (!reviews.some((r) => (r.signatures?.length ?? 0) > 0)) return [];
  const chain: ChainEntry[] = (await store.getAll(projectAuditRange(projectId))).map(toAuditEntry);
  const logged = new Set(
    chain.flatMap((e) => (e.event === 'signature' ? [`${e.reviewId}\u001f${e.signatureId}`] : [])),
  );
  let head: Pick<ChainEntry, 'seq' | 'hash'> | undefined = chain[chain.length - 1];
  const out: SignatureAuditEntry[] = [];
  for (const review of reviews) {
    for (const signature of review.signatures ?? []) {
      if (logged.has(`${review.id}\u001f${signature.id}`)) continue;
      const entry = signatureEntryFor(head, review.id, signature);
      out.push(entry);
      head = entry;
    }
  }
  await Promise.all(out.map((entry) => store.add({ ...entry, projectId })));
  return out;
}

/** The reviews of `project` with the signatures `previous` did not have (only those). */
export function newSignatures(
  reviews: readonly Review[] | undefined,
  previous: readonly Review[] | undefined,
): Review[] {
  const before = new Map((previous ?? []).map((r) => [r.id, r]));
  const out: Review[] = [];
  for (const review of reviews ?? []) {
    const old = before.get(review.id);
    if (old === review) continue;
    const known = new Set(old?.signatures?.map((s) => s.id));
    const added = (review.signatures ?? []).filter((s) => !known.has(s.id));
    if (added.length) out.push({ ...review, signatures: added });
  }
  return out;
}
