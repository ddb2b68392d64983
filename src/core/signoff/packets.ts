/**
 * Review packets (docs/product.md#sign-off): a data lead exports the drawn sample with exactly what
 * the review screen shows for each record, a clinician on another computer reviews it (their
 * decisions go to their own audit chain) and exports results, and the lead merges them back — only
 * after every hash checks out. Anything tampered or mismatched is refused with the reason, naming
 * the first broken record, entry or decision; nothing is merged from a refused file.
 *
 * Constraints:
 * - Pure; messages name positions, ids' roles and reasons, never record content or keys (patient data).
 * - The packet hash covers the manifest; each record's content is bound by its `shownSha256`
 *   (src/formats/reviewPacket.ts). A merged decision keeps the clinician's fields unchanged and
 *   gains `imported` (packet hash, the clinician's chain head, its entry and that entry's hash), so
 *   the lead's own audit entry for it binds the imported chain.
 */
import type { AuditEntry } from '../../formats/auditLog.ts';
import { decodeUtf8Strict, parseJsonText, positionOf } from '../../formats/jsonText.ts';
import { isPlainObject } from '../../formats/loading.ts';
import type { Decision, Review } from '../../formats/review.ts';
import {
  loadReviewPacket,
  packetManifest,
  REVIEW_PACKET_FORMAT,
  type ReviewPacket,
  reviewPacketHash,
} from '../../formats/reviewPacket.ts';
import {
  createReviewResultsFile,
  loadReviewResults,
  type ReviewResults,
  reviewResultsIntegrity,
} from '../../formats/reviewResults.ts';
import type { SamplePlan } from '../../formats/samplePlan.ts';
import { canonicalSha256Hex } from '../hash/canonicalJson.ts';
import { verifyAuditChain } from './auditChain.ts';
import { isLocked, planHash } from './planLock.ts';
import { recordId, type ShownRecord, shownHash } from './review.ts';

/** Why a packet or results file is refused (public codes: add, never rename). */
export type PacketRefusal =
  | 'damaged'
  | 'schema'
  | 'plan-hash'
  | 'plan-not-locked'
  | 'record-changed'
  | 'not-in-sample'
  | 'incomplete'
  | 'packet-hash'
  | 'integrity'
  | 'chain'
  | 'not-logged'
  | 'shown-mismatch'
  | 'unknown-packet'
  | 'other-review'
  | 'conflict'
  | 'edited';

/** A refusal: the reason, where (the first broken record, entry or decision), and a message. */
export interface PacketProblem {
  ok: false;
  reason: PacketRefusal;
  /** the first broken one, 1-based, when the problem is in one: `record` of a packet, `entry` of a chain */
  at?: { kind: 'record' | 'entry'; index: number };
  message: string;
}

/** What a verified packet gives. */
export type PacketVerification = { ok: true; packet: ReviewPacket; sha256: string } | PacketProblem;

/** What verified results give: the decisions to merge (already `imported`-stamped) and the chain head. */
export type ResultsVerification =
  | { ok: true; results: ReviewResults; head: string; decisions: Decision[]; alreadyMerged: number }
  | PacketProblem;

function refuse(
  reason: PacketRefusal,
  message: string,
  at?: { kind: 'record' | 'entry'; index: number },
): PacketProblem {
  const where = at ? `${at.kind} ${at.index}: ` : '';
  return { ok: false, reason, ...(at ? { at } : {}), message: `${where}${message}` };
}

/** The plain words every packet carries: it holds patient records, and for whom it is. */
export function packetNotice(planName: string, records: number): string {
  return (
    `This file holds patient records: the legacy and the migrated values of ${records} sampled ` +
    `record${records === 1 ? '' : 's'} of the sample plan "${planName}". It is only for the clinician ` +
    'asked to review them. Send it through your organisation’s approved secure channel, never by ' +
    'ordinary e-mail or a shared folder, and delete every copy once the results are back.'
  );
}

/** Why a packet cannot be made (the message names counts, never keys). */
export class PacketExportError extends Error {
  override name = 'PacketExportError';
}

/**
 * A packet of `review`'s whole drawn sample: `shown` must hold what the screen shows for every
 * drawn record (any order); records are written in sample order.
 * @throws {PacketExportError} when a drawn record has nothing shown, or the plan is not the review's.
 */
export function createReviewPacket(params: {
  id: string;
  createdAt: string;
  plan: SamplePlan;
  review: Review;
  shown: readonly ShownRecord[];
}): ReviewPacket {
  const { plan, review } = params;
  const hash = planHash(plan);
  if (!isLocked(plan) || hash !== review.plan.hash)
    throw new PacketExportError('The review is not of this locked plan.');
  const byRecord = new Map(params.shown.map((s) => [recordId(s.stratum, s.recordKey), s]));
  const records = review.sample.strata.flatMap((stratum) =>
    stratum.records.map((record) => ({ stratum: stratum.id, record })),
  );
  const missing = records.filter((r) => !byRecord.has(recordId(r.stratum, r.record.key))).length;
  if (missing > 0)
    throw new PacketExportError(
      `${missing} of the ${records.length} drawn records are not in the chosen files: open every file the sample was drawn from.`,
    );
  const body: Omit<ReviewPacket, 'integrity'> = {
    format: REVIEW_PACKET_FORMAT,
    id: params.id,
    createdAt: params.createdAt,
    notice: packetNotice(plan.name, records.length),
    plan,
    planHash: hash,
    reviewId: review.id,
    ...(review.mapping ? { mapping: review.mapping } : {}),
    sample: review.sample,
    records: records.map(({ stratum, record }) => {
      const shown = byRecord.get(recordId(stratum, record.key)) as ShownRecord;
      return { stratum, key: record.key, shownSha256: shownHash(shown), shown };
    }),
  };
  return { ...body, integrity: { sha256: reviewPacketHash(body) } };
}

function schemaRefusal(
  problems: readonly { path: string; message: string }[],
  list: string,
  kind: 'record' | 'entry',
) {
  const first = problems[0];
  const index = new RegExp(`^/${list}/(\\d+)`).exec(first?.path ?? '');
  return refuse(
    'schema',
    problems
      .slice(0, 3)
      .map((p) => `${p.path || '/'}: ${p.message}`)
      .join('; '),
    index ? { kind, index: Number(index[1]) + 1 } : undefined,
  );
}

/** The drawn records of a sample, by record id. */
function drawnIds(sample: ReviewPacket['sample']): Set<string> {
  return new Set(sample.strata.flatMap((s) => s.records.map((r) => recordId(s.id, r.key))));
}

/**
 * Verifies a parsed packet: its schema, the plan and its hash, each record's content against its
 * fingerprint and the sample (in order: the first broken record is named), completeness, and the
 * packet hash. Never throws.
 */
export function verifyReviewPacket(json: unknown): PacketVerification {
  const loaded = loadReviewPacket(json);
  if (!loaded.ok) return schemaRefusal(loaded.problems, 'records', 'record');
  const packet = loaded.value;
  if (!isLocked(packet.plan)) return refuse('plan-not-locked', 'its sample plan is not locked');
  if (planHash(packet.plan) !== packet.planHash)
    return refuse('plan-hash', 'its sample plan does not match the plan hash: the plan was changed');
  const drawn = drawnIds(packet.sample);
  const seen = new Set<string>();
  for (const [i, record] of packet.records.entries()) {
    const at = { kind: 'record' as const, index: i + 1 };
    const id = recordId(record.stratum, record.key);
    if (!drawn.has(id) || seen.has(id))
      return refuse('not-in-sample', 'it is not a record of the drawn sample (or is there twice)', at);
    seen.add(id);
    const { shown } = record;
    if (shown.planHash !== packet.planHash || recordId(shown.stratum, shown.recordKey) !== id)
      return refuse('record-changed', 'what it shows is for another plan or record', at);
    let hash: string;
    try {
      hash = shownHash(shown as ShownRecord);
    } catch {
      return refuse('record-changed', 'what it shows is not plain JSON data', at);
    }
    if (hash !== record.shownSha256)
      return refuse('record-changed', 'what it shows does not match its fingerprint: it was changed', at);
  }
  if (seen.size !== drawn.size)
    return refuse('incomplete', `it shows ${seen.size} of the ${drawn.size} drawn records`);
  const sha256 = reviewPacketHash(packet);
  if (sha256 !== packet.integrity.sha256)
    return refuse(
      'packet-hash',
      'it does not match its packet hash: something outside the records (the plan, the sample, the notice or a fingerprint) was changed',
    );
  return { ok: true, packet, sha256 };
}

/**
 * The clinician's review of a packet: a new review (its own id) of the packet's plan and sample,
 * remembering the packet, with no decisions.
 */
export function reviewOfPacket(packet: ReviewPacket, sha256: string, id: string): Review {
  return {
    format: 'preflight.review/v1',
    id,
    plan: { id: packet.plan.id, hash: packet.planHash },
    ...(packet.mapping ? { mapping: packet.mapping } : {}),
    sample: packet.sample,
    packets: [{ id: packet.id, sha256, createdAt: packet.createdAt }],
    decisions: [],
  };
}

/** The results file of the clinician's `review` of `packet`, with their audit chain `entries`. */
export function createReviewResults(params: {
  packet: ReviewPacket;
  review: Review;
  entries: readonly AuditEntry[];
  exportedAt: string;
}): ReviewResults {
  return createReviewResultsFile({
    exportedAt: params.exportedAt,
    packet: { sha256: params.packet.integrity.sha256, manifest: packetManifest(params.packet) },
    review: params.review,
    entries: [...params.entries],
  });
}

/**
 * Verifies parsed results, in order: the schema, the clinician's audit chain (every decision
 * logged, unchanged: the first broken entry is named), the file's integrity hash, the packet hash
 * (recomputed from the manifest), the plan hash, then every decision — its plan, its record in the
 * packet's sample, and its `shownSha256` equal to what the packet showed (named by its entry).
 *
 * With `lead` (the data lead's review): the packet must be one exported from it, of its plan and
 * sample, and the decisions to merge are returned stamped with `imported`; decisions merged before
 * are skipped (`alreadyMerged`). Never throws.
 */
export function verifyReviewResults(json: unknown, lead?: Review): ResultsVerification {
  if (!isPlainObject(json)) return refuse('schema', 'it is not a JSON object');
  // the chain first, on the raw entries: a changed entry is named even when it breaks the schema
  const rawEntries = Array.isArray(json.entries) ? (json.entries as unknown[]) : undefined;
  const rawReview =
    isPlainObject(json.review) && Array.isArray(json.review.decisions) ? json.review : undefined;
  if (rawEntries && rawReview) {
    let chain: ReturnType<typeof verifyAuditChain>;
    try {
      chain = verifyAuditChain(rawEntries, [rawReview as unknown as Review]);
    } catch {
      chain = verifyAuditChain(rawEntries);
    }
    if (!chain.ok)
      return refuse('chain', chain.message.replace(/^entry \d+: /, ''), {
        kind: 'entry',
        index: chain.entry,
      });
  }
  const loaded = loadReviewResults(json);
  if (!loaded.ok) return schemaRefusal(loaded.problems, 'entries', 'entry');
  const results = loaded.value;
  const { review, entries } = results;
  const entryOf = new Map(entries.map((e) => [e.decisionId, e]));
  const unlogged = review.decisions.findIndex((d) => entryOf.get(d.id)?.reviewId !== review.id);
  if (unlogged >= 0)
    return refuse(
      'not-logged',
      `decision ${unlogged + 1} of the review is not in the audit chain: it was added afterwards`,
    );
  if (reviewResultsIntegrity(results) !== results.integrity.sha256)
    return refuse(
      'integrity',
      'the file does not match its integrity hash: something outside the audit chain (the export time or the packet) was changed',
    );
  const { manifest, sha256 } = results.packet;
  if (canonicalSha256Hex(manifest) !== sha256)
    return refuse('packet-hash', 'the packet it answers does not match its packet hash: it was changed');
  if (planHash(manifest.plan) !== manifest.planHash || review.plan.hash !== manifest.planHash)
    return refuse('plan-hash', 'the review is not of the packet’s plan (the plan hashes differ)');
  if (lead) {
    if (!(lead.packets ?? []).some((p) => p.sha256 === sha256))
      return refuse(
        'unknown-packet',
        'these results answer a review packet that was not exported from this review: import them into the project the packet came from',
      );
    if (manifest.planHash !== lead.plan.hash || manifest.reviewId !== lead.id)
      return refuse('other-review', 'these results are for another plan or review than this one');
  }
  const shownOf = new Map(manifest.records.map((r) => [recordId(r.stratum, r.key), r.shownSha256]));
  const leadDrawn = lead ? drawnIds(lead.sample) : undefined;
  const leadIds = new Map((lead?.decisions ?? []).map((d) => [d.id, d]));
  const head = entries.at(-1)?.hash ?? '';
  const decisions: Decision[] = [];
  let alreadyMerged = 0;
  for (const decision of review.decisions) {
    const entry = entryOf.get(decision.id) as AuditEntry;
    const at = { kind: 'entry' as const, index: entry.seq };
    const id = recordId(decision.stratum, decision.recordKey);
    if (decision.planHash !== manifest.planHash)
      return refuse('plan-hash', 'its decision cites another plan than the packet’s', at);
    const shown = shownOf.get(id);
    if (shown === undefined || (leadDrawn && !leadDrawn.has(id)))
      return refuse('not-in-sample', 'its decision is on a record that is not in the packet’s sample', at);
    if (decision.shownSha256 !== shown)
      return refuse(
        'shown-mismatch',
        'its decision cites something other than what the packet showed for that record',
        at,
      );
    const merged = leadIds.get(decision.id);
    if (merged) {
      const { imported: _imported, ...original } = merged;
      if (canonicalSha256Hex(original) !== canonicalSha256Hex(decision))
        return refuse(
          'conflict',
          'its decision id is already used by a different decision in this review',
          at,
        );
      alreadyMerged++;
      continue;
    }
    decisions.push({
      ...decision,
      imported: { packetSha256: sha256, chainHead: head, entry: entry.seq, entryHash: entry.hash },
    });
  }
  return { ok: true, results, head, decisions, alreadyMerged };
}

/** `lead` with the verified `decisions` appended (a `review/put` of it stores and logs them). */
export function mergeReviewResults(lead: Review, decisions: readonly Decision[]): Review {
  return { ...lead, decisions: [...lead.decisions, ...decisions] };
}

/** `review` remembering an exported packet (results are merged back only for remembered packets). */
export function rememberPacket(review: Review, packet: ReviewPacket): Review {
  return {
    ...review,
    packets: [
      ...(review.packets ?? []),
      { id: packet.id, sha256: packet.integrity.sha256, createdAt: packet.createdAt },
    ],
  };
}

/** How Preflight writes packets and results: 2-space JSON and a final newline. */
export function serializePacketFile(value: ReviewPacket | ReviewResults): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * The bytes of a packet or results file checked before their content: strict UTF-8 and JSON (a
 * damaged byte is refused with its place). `verify` then checks the content; last, the text must
 * be exactly as Preflight wrote it — canonical hashes do not see a change of layout or escaping,
 * and a file that travels between computers has no reason to be re-typed — so even a changed
 * space is refused, with its line and column.
 */
export function verifyPacketBytes<T extends { ok: true } | PacketProblem>(
  bytes: Uint8Array,
  verify: (json: unknown) => T,
): T | PacketProblem {
  const decoded = decodeUtf8Strict(bytes);
  if (!decoded.ok)
    return refuse('damaged', `it is not UTF-8 text (invalid byte at offset ${decoded.offset})`);
  const parsed = parseJsonText(decoded.text);
  if (!parsed.ok)
    return refuse(
      'damaged',
      `it is not valid JSON (line ${parsed.position.line}, column ${parsed.position.column}): the file was damaged or edited`,
    );
  const result = verify(parsed.value);
  if (!result.ok) return result;
  const written = `${JSON.stringify(parsed.value, null, 2)}\n`;
  const text = decoded.text.startsWith('\uFEFF') ? decoded.text.slice(1) : decoded.text;
  if (text !== written) {
    let offset = 0;
    while (offset < text.length && text[offset] === written[offset]) offset++;
    const { line, column } = positionOf(text, offset);
    return refuse(
      'edited',
      `its text was edited after Preflight wrote it (first change at line ${line}, column ${column})`,
    );
  }
  return result;
}
