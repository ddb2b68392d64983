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
 * - Under dual review the lead assigns each packet a pass (`first` or `second`): the clinician's
 *   review of it is a dual review whose decisions are all of that stage, results whose decisions
 *   are of another stage are refused, and merging adds each decision through `addDecision`, so
 *   a second pass is recorded as second reviews beside the first (never replacing it) and a
 *   merge the dual-review or decision rules refuse is refused whole.
 */
import type { AuditEntry, TrailAuditEntry } from '../../../formats/auditLog.ts';
import { decodeUtf8Strict, parseJsonText, positionOf } from '../../../formats/jsonText.ts';
import { isPlainObject } from '../../../formats/loading.ts';
import type { Decision, DrawnSample, Review, ReviewPass } from '../../../formats/review.ts';
import {
  loadReviewPacket,
  packetManifest,
  REVIEW_PACKET_FORMAT,
  type ReviewPacket,
  reviewPacketHash,
} from '../../../formats/reviewPacket.ts';
import {
  createReviewResultsFile,
  loadReviewResults,
  type ResultsManifest,
  type ReviewResults,
  reviewResultsIntegrity,
} from '../../../formats/reviewResults.ts';
import type { SamplePlan } from '../../../formats/samplePlan.ts';
import { canonicalSha256Hex } from '../../hash/index.ts';
import { decisionIdentifierProblem } from '../review/commentIdentifiers.ts';
import { stageOf } from '../review/dualReview.ts';
import { addDecision, ReviewChangeError, recordId, type ShownRecord, shownHash } from '../review/review.ts';
import { isLocked, planHash } from '../sampling/planLock.ts';
import { verifyAuditChain } from '../signing/auditChain.ts';
import { keysByHash, RESULT_KEY_HASH, recordKeyHash, renameSampleKeys } from './resultKeys.ts';

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
  | 'edited'
  | 'pass'
  | 'refused-decision'
  | 'passphrase'
  | 'envelope'
  | 'unknown-keys'
  | 'identifying-comment';

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
type ResultsVerification =
  | {
      ok: true;
      results: ReviewResults;
      head: string;
      decisions: Decision[];
      alreadyMerged: number;
      /**
       * `hashed`: the file identifies records by keyed hash. Without the packet's secret (no `lead`
       * or `keys`) only its chain links, integrity and logging are checked and `decisions` is empty:
       * each decision is checked against what it cites when the data lead merges it
       */
      recordKeys: 'plain' | 'hashed';
    }
  | PacketProblem;

/** What maps keyed hashes in results back to record keys: a packet's secret and its sample. */
interface ResultKeySource {
  secret: string;
  sample: DrawnSample;
}

/** The result-key source of a packet the clinician opened (none: its results carry record keys). */
export function resultKeySourceOf(packet: ReviewPacket): ResultKeySource | undefined {
  return packet.resultKeys ? { secret: packet.resultKeys.secret, sample: packet.sample } : undefined;
}

function refuse(
  reason: PacketRefusal,
  message: string,
  at?: { kind: 'record' | 'entry'; index: number },
): PacketProblem {
  const where = at ? `${at.kind} ${at.index}: ` : '';
  return { ok: false, reason, ...(at ? { at } : {}), message: `${where}${message}` };
}

/** The plain words every packet carries: it holds patient records, and for whom it is. */
function packetNotice(planName: string, records: number): string {
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

/** The pass a packet is for: absent means `first`. */
export function passOf(packet: { pass?: ReviewPass }): ReviewPass {
  return packet.pass ?? 'first';
}

/**
 * A packet of `review`'s whole drawn sample: `shown` must hold what the screen shows for every
 * drawn record (any order); records are written in sample order. Under dual review it is for
 * `pass` (default `first`) and says so.
 * @throws {PacketExportError} when a drawn record has nothing shown, the plan is not the review's,
 *   or a second pass is asked of a review that is not a dual review.
 */
export function createReviewPacket(params: {
  id: string;
  createdAt: string;
  plan: SamplePlan;
  review: Review;
  shown: readonly ShownRecord[];
  pass?: ReviewPass;
  /** 64 hex digits of fresh randomness: results identify records by keyed hash; absent: by record key */
  resultKeySecret?: string;
}): ReviewPacket {
  const { plan, review } = params;
  const hash = planHash(plan);
  if (!isLocked(plan) || hash !== review.plan.hash)
    throw new PacketExportError('The review is not of this locked plan.');
  const pass = params.pass ?? 'first';
  if (pass === 'second' && review.dualReview !== true)
    throw new PacketExportError('Only a dual review has a second pass: this plan is reviewed once.');
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
    ...(review.dualReview ? { pass } : {}),
    ...(params.resultKeySecret
      ? { resultKeys: { hash: RESULT_KEY_HASH, secret: params.resultKeySecret } }
      : {}),
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
  if (packet.pass !== undefined && packet.plan.dualReview !== true)
    return refuse('pass', 'it names a review pass, but its sample plan is not reviewed twice');
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
 * remembering the packet (and its pass), with no decisions. Under dual review it is a dual review,
 * so the clinician's decisions are of the packet's pass.
 */
export function reviewOfPacket(packet: ReviewPacket, sha256: string, id: string): Review {
  return {
    format: 'preflight.review/v1',
    id,
    plan: { id: packet.plan.id, hash: packet.planHash },
    ...(packet.mapping ? { mapping: packet.mapping } : {}),
    sample: packet.sample,
    packets: [
      { id: packet.id, sha256, createdAt: packet.createdAt, ...(packet.pass ? { pass: packet.pass } : {}) },
    ],
    ...(packet.plan.dualReview ? { dualReview: true } : {}),
    decisions: [],
  };
}

/**
 * The stage a reviewer's decisions take in `review`: on a clinician's review of a packet, the
 * packet's pass (the data lead assigned it); otherwise `chosen` (the lead's own screen).
 */
export function packetStage(review: Review): ReviewPass | undefined {
  const [only] = review.packets ?? [];
  return review.dualReview && review.packets?.length === 1 && only?.pass ? only.pass : undefined;
}

/**
 * The results file of the clinician's `review` of `packet`, with their audit chain `entries`. When
 * the packet carries a result-key secret, every record key in the file (the manifest's records and
 * sample, the review's sample, each decision's) is its keyed hash and the secret is left out; the
 * chain is written as recorded (its entries hold no keys, and its decision hashes are checked by
 * the data lead once the keys are mapped back).
 */
export function createReviewResults(params: {
  packet: ReviewPacket;
  review: Review;
  entries: readonly (AuditEntry | TrailAuditEntry)[];
  exportedAt: string;
}): ReviewResults {
  const { packet, review } = params;
  const manifest = packetManifest(packet);
  const content = {
    exportedAt: params.exportedAt,
    packet: { sha256: packet.integrity.sha256, manifest: manifest as ResultsManifest },
    review,
    entries: [...params.entries],
  };
  if (!packet.resultKeys) return createReviewResultsFile(content);
  const { secret } = packet.resultKeys;
  const hashes = new Map<string, string>();
  const hash = (key: string) => {
    const known = hashes.get(key);
    if (known !== undefined) return known;
    const out = recordKeyHash(secret, key);
    hashes.set(key, out);
    return out;
  };
  const { resultKeys: _secret, ...rest } = manifest;
  return createReviewResultsFile({
    ...content,
    packet: {
      sha256: packet.integrity.sha256,
      manifest: {
        ...rest,
        resultKeys: { hash: RESULT_KEY_HASH },
        sample: renameSampleKeys(rest.sample, hash),
        records: rest.records.map((r) => ({ ...r, key: hash(r.key) })),
      },
    },
    review: {
      ...review,
      sample: renameSampleKeys(review.sample, hash),
      decisions: review.decisions.map((d) => ({ ...d, recordKey: hash(d.recordKey) })),
    },
  });
}

/**
 * `results` (identified by keyed hash) with every hash mapped back to its record key through
 * `keys`, so it verifies as recorded (the packet hash with the secret put back); refused
 * when any hash matches no record of the sample (counted, never shown).
 */
function restoreResultKeys(results: ReviewResults, keys: ResultKeySource): ReviewResults | PacketProblem {
  const byHash = keysByHash(keys.secret, keys.sample);
  const seen = new Set<string>();
  const unknown = new Set<string>();
  const back = (hash: string) => {
    seen.add(hash);
    const key = byHash.get(hash);
    if (key !== undefined) return key;
    unknown.add(hash);
    return hash;
  };
  const { manifest } = results.packet;
  const { review } = results;
  const restored: ReviewResults = {
    ...results,
    packet: {
      ...results.packet,
      manifest: {
        ...manifest,
        sample: renameSampleKeys(manifest.sample, back),
        records: manifest.records.map((r) => ({ ...r, key: back(r.key) })),
      },
    },
    review: {
      ...review,
      sample: renameSampleKeys(review.sample, back),
      decisions: review.decisions.map((d) => ({ ...d, recordKey: back(d.recordKey) })),
    },
  };
  if (unknown.size > 0)
    return refuse(
      'unknown-keys',
      `${unknown.size} of the ${seen.size} record identifiers in these results match no record of the packet they answer (they were made with another packet or changed). Ask the clinician to export their results again from the packet you sent them and import that file`,
    );
  return restored;
}

const INTEGRITY_MESSAGE =
  'the file does not match its integrity hash: something outside the audit chain (the export time, the packet or a record identifier) was changed';

/** Whether parsed results identify records by keyed hash (their manifest names `resultKeys`). */
function hasHashedKeys(json: Record<string, unknown>): boolean {
  const { packet } = json;
  return isPlainObject(packet) && isPlainObject(packet.manifest) && packet.manifest.resultKeys !== undefined;
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
export function verifyReviewResults(
  json: unknown,
  lead?: Review,
  keys?: ResultKeySource,
): ResultsVerification {
  if (!isPlainObject(json)) return refuse('schema', 'it is not a JSON object');
  if (!hasHashedKeys(json)) return verifyResultsAsWritten(json, lead);
  // keyed hashes: the chain's links and the file as written first, then the keys mapped back
  const rawEntries = Array.isArray(json.entries) ? (json.entries as unknown[]) : [];
  const links = verifyAuditChain(rawEntries);
  if (!links.ok)
    return refuse('chain', links.message.replace(/^entry \d+: /, ''), { kind: 'entry', index: links.entry });
  const loaded = loadReviewResults(json);
  if (!loaded.ok) return schemaRefusal(loaded.problems, 'entries', 'entry');
  const results = loaded.value;
  const intact = reviewResultsIntegrity(results) === results.integrity.sha256;
  const exported = lead?.packets?.find((p) => p.sha256 === results.packet.sha256);
  if (lead && !exported?.resultKeySecret)
    return refuse(
      'unknown-packet',
      exported
        ? 'these results identify records by keyed hash, but their packet was exported for results with record keys: the file was changed'
        : 'these results answer a review packet that was not exported from this review: import them into the project the packet came from',
    );
  const source =
    keys ??
    (lead && exported?.resultKeySecret
      ? { secret: exported.resultKeySecret, sample: lead.sample }
      : undefined);
  if (!source) {
    if (!intact) return refuse('integrity', INTEGRITY_MESSAGE);
    const logged = new Set(
      results.entries.flatMap((e) =>
        e.event === 'decision' && e.reviewId === results.review.id ? [e.decisionId] : [],
      ),
    );
    const unlogged = results.review.decisions.findIndex((d) => !logged.has(d.id));
    if (unlogged >= 0)
      return refuse(
        'not-logged',
        `decision ${unlogged + 1} of the review is not in the audit chain: it was added afterwards`,
      );
    // the keys are coded here: identifier-shaped text is what can be checked
    const identifying = identifyingComments(
      results.review.decisions,
      new Map(results.entries.flatMap((e) => (e.event === 'decision' ? [[e.decisionId, e] as const] : []))),
    );
    if (identifying) return identifying;
    return {
      ok: true,
      results,
      head: results.entries.at(-1)?.hash ?? '',
      decisions: [],
      alreadyMerged: 0,
      recordKeys: 'hashed',
    };
  }
  const restored = restoreResultKeys(results, source);
  if ('ok' in restored) return restored;
  const verified = verifyResultsAsWritten(restored as unknown as Record<string, unknown>, lead, {
    secret: source.secret,
    intact,
  });
  return verified.ok ? { ...verified, recordKeys: 'hashed' } : verified;
}

/**
 * {@link verifyReviewResults} of results whose keys are as recorded: written so, or `restored`
 * with the packet's secret (then `intact` says whether the file as written matched its integrity
 * hash, and the packet hash covers the manifest with the secret put back).
 */
function verifyResultsAsWritten(
  json: Record<string, unknown>,
  lead: Review | undefined,
  restored?: { secret: string; intact: boolean },
): ResultsVerification {
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
  const entryOf = new Map(
    entries.flatMap((e) => (e.event === 'decision' ? [[e.decisionId, e] as const] : [])),
  );
  const unlogged = review.decisions.findIndex((d) => entryOf.get(d.id)?.reviewId !== review.id);
  if (unlogged >= 0)
    return refuse(
      'not-logged',
      `decision ${unlogged + 1} of the review is not in the audit chain: it was added afterwards`,
    );
  if (!(restored ? restored.intact : reviewResultsIntegrity(results) === results.integrity.sha256))
    return refuse('integrity', INTEGRITY_MESSAGE);
  const { manifest, sha256 } = results.packet;
  const written = restored
    ? { ...manifest, resultKeys: { hash: RESULT_KEY_HASH, secret: restored.secret } }
    : manifest;
  if (canonicalSha256Hex(written) !== sha256)
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
  const identifying = identifyingComments(review.decisions, entryOf);
  if (identifying) return identifying;
  const shownOf = new Map(manifest.records.map((r) => [recordId(r.stratum, r.key), r.shownSha256]));
  const leadDrawn = lead ? drawnIds(lead.sample) : undefined;
  const leadIds = new Map((lead?.decisions ?? []).map((d) => [d.id, d]));
  const head = entries.at(-1)?.hash ?? '';
  const decisions: Decision[] = [];
  const pass = passOf(manifest);
  // the merge is tried decision by decision, as the lead's project would record them
  let staged = lead;
  let alreadyMerged = 0;
  for (const decision of review.decisions) {
    const entry = entryOf.get(decision.id) as AuditEntry;
    const at = { kind: 'entry' as const, index: entry.seq };
    const id = recordId(decision.stratum, decision.recordKey);
    if (decision.planHash !== manifest.planHash)
      return refuse('plan-hash', 'its decision cites another plan than the packet’s', at);
    if (stageOf(decision) !== pass)
      return refuse(
        'pass',
        `its decision is a ${stageOf(decision)} review, but the packet was for the ${pass} pass`,
        at,
      );
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
    const stamped: Decision = {
      ...decision,
      imported: { packetSha256: sha256, chainHead: head, entry: entry.seq, entryHash: entry.hash },
    };
    if (staged) {
      try {
        staged = addDecision(staged, stamped);
      } catch (error) {
        if (!(error instanceof ReviewChangeError)) throw error;
        return refuse('refused-decision', `its decision cannot be merged: ${error.message}`, at);
      }
    }
    decisions.push(stamped);
  }
  return { ok: true, results, head, decisions, alreadyMerged, recordKeys: 'plain' };
}

/**
 * Refused (`identifying-comment`) when any decision's comment or change reason carries an
 * identifier of its record — its key, or an identifier-shaped number or address
 * (commentIdentifiers.ts) — counted, at the first one's entry; the screens refuse to save such a
 * comment, so only an older or hand-edited file brings one. The legacy cells are not in a results
 * file, so a quoted name or birth date is caught only on the reviewer's screen.
 */
function identifyingComments(
  decisions: readonly Decision[],
  entryOf: ReadonlyMap<string, { seq: number }>,
): PacketProblem | null {
  const found = decisions.filter((d) => decisionIdentifierProblem(d) !== null);
  const first = found[0];
  if (!first) return null;
  const entry = entryOf.get(first.id);
  return refuse(
    'identifying-comment',
    `${found.length} of the ${decisions.length} decisions in these results ${found.length === 1 ? 'has a comment or change reason that identifies' : 'have comments or change reasons that identify'} the patient (the record key, or a number shaped like an MRN, a phone number or an e-mail address), so nothing was merged. Send the clinician the packet again and ask them to review ${found.length === 1 ? 'that record' : 'those records'} again, referring to each as "the record" or by field name, then import their new results.`,
    entry ? { kind: 'entry', index: entry.seq } : undefined,
  );
}

/**
 * `lead` with the verified `decisions` added through `addDecision` (a `review/put` of it stores and
 * logs them): the dual-review and decision rules hold for merged decisions as for any other.
 * @throws {ReviewChangeError} when a rule refuses one (verifyReviewResults with `lead` already
 *   refuses such files, naming the entry).
 */
export function mergeReviewResults(
  lead: Review,
  decisions: readonly Decision[],
  merge?: { at: string; by?: string },
): Review {
  // the merge's own time and person, beside where each decision came from: the merge's audit
  // entry is dated by the merge, not by the clinician's first decision
  const stamped = merge
    ? decisions.map((d) =>
        d.imported
          ? {
              ...d,
              imported: { ...d.imported, mergedAt: merge.at, ...(merge.by ? { mergedBy: merge.by } : {}) },
            }
          : d,
      )
    : decisions;
  return stamped.reduce(addDecision, lead);
}

/**
 * `review` remembering an exported packet (results are merged back only for remembered packets),
 * exported by the person with staff id `exportedBy` when known.
 */
export function rememberPacket(review: Review, packet: ReviewPacket, exportedBy?: string): Review {
  return {
    ...review,
    packets: [
      ...(review.packets ?? []),
      {
        id: packet.id,
        sha256: packet.integrity.sha256,
        createdAt: packet.createdAt,
        ...(exportedBy ? { exportedBy } : {}),
        ...(packet.pass ? { pass: packet.pass } : {}),
        ...(packet.resultKeys ? { resultKeySecret: packet.resultKeys.secret } : {}),
      },
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
  const decoded = decodeUtf8Strict(bytes, 'it');
  if (!decoded.ok) return refuse('damaged', decoded.message);
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
