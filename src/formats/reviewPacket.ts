/**
 * `preflight.reviewpacket/v1`: what a clinician on another computer needs to review a drawn sample
 * (review packets, docs/product.md#sign-off): the locked plan and its hash, the drawn keys per
 * stratum, and for each drawn record exactly what the review screen shows — the legacy row and the
 * migrated record. Unlike every other Preflight file, it holds patient records, because the
 * reviewer has no access to the extract; `notice` says so in plain words to whoever opens it.
 *
 * Constraint: the packet hash (`integrity.sha256`) is SHA-256 over the RFC 8785 canonical JSON of
 * the packet's manifest ({@link packetManifest}): the packet without `integrity`, each record
 * reduced to its stratum, key and `shownSha256`. A record's content is bound by its `shownSha256`
 * (the hash each decision cites), so results files can carry the manifest — no record content —
 * and still be checked against the packet hash. Changing either breaks every exported packet.
 */
import { canonicalSha256Hex } from '../core/hash/index.ts';
import { validateReviewPacket } from './generated/validators.js';
import {
  FORMAT_FAMILIES,
  type FormatDefinition,
  type LoadResult,
  loadDocument,
  type Migration,
} from './loading.ts';
import type { DrawnSample, MappingRef, ReviewPass } from './review.ts';
import type { SamplePlan } from './samplePlan.ts';

/** Format tag of a review packet. */
export const REVIEW_PACKET_FORMAT = 'preflight.reviewpacket/v1';

/** `$id` of the review-packet JSON Schema (src/formats/reviewPacket.schema.json). */
export const REVIEW_PACKET_SCHEMA_ID = 'urn:preflight:format:reviewpacket:v1';

/** Exactly what the review screen shows for one record (the same object as core's `ShownRecord`). */
export interface PacketShown {
  planHash: string;
  stratum: string;
  recordKey: string;
  source: { file?: string; row: number; header: string[]; cells: string[] };
  mapping: MappingRef | null;
  /** the migrated record (JSON object), or null without a mapping */
  target: { [key: string]: unknown } | null;
  alignment: {
    target: string;
    columns: string[];
    value?: string;
    expected?: string;
    path?: string;
    problem?: string;
  }[];
}

/** One drawn record of a packet. */
export interface PacketRecord {
  stratum: string;
  key: string;
  /** SHA-256 of the canonical JSON of `shown` */
  shownSha256: string;
  shown: PacketShown;
}

/** A record of the manifest: no content, only its fingerprint. */
export interface ManifestRecord {
  stratum: string;
  key: string;
  shownSha256: string;
}

/** A packet's result-key secret (64 hex digits) and how results hash record keys with it. */
export interface PacketResultKeys {
  hash: 'HMAC-SHA-256';
  secret: string;
}

/** A review packet. */
export interface ReviewPacket {
  format: typeof REVIEW_PACKET_FORMAT;
  id: string;
  createdAt: string;
  /** plain words: the file holds patient records, and who should receive it */
  notice: string;
  plan: SamplePlan;
  planHash: string;
  /** the data lead's review the sample belongs to */
  reviewId: string;
  /**
   * the dual-review pass the data lead assigned (absent: `first`): the clinician's decisions are of
   * that stage, so two packets of one dual-reviewed sample make its two independent reviews
   */
  pass?: ReviewPass;
  /**
   * present when the results identify records by keyed hash: the HMAC-SHA-256 of each record key
   * under `secret` (src/core/signoff/exports/resultKeys.ts); the secret never goes into a results file.
   * Absent: results carry the record keys.
   */
  resultKeys?: PacketResultKeys;
  mapping?: MappingRef;
  sample: DrawnSample;
  records: PacketRecord[];
  integrity: { sha256: string };
}

/** The manifest of a packet: what its hash covers directly (records by fingerprint only). */
export type PacketManifest = Omit<ReviewPacket, 'integrity' | 'records'> & { records: ManifestRecord[] };

/** The manifest of `packet` (its `integrity` left out, records reduced to their fingerprints). */
export function packetManifest(
  packet: Omit<ReviewPacket, 'integrity'> & { integrity?: unknown },
): PacketManifest {
  const { integrity: _ignored, records, ...rest } = packet;
  return {
    ...rest,
    records: records.map(({ stratum, key, shownSha256 }) => ({ stratum, key, shownSha256 })),
  };
}

/** The packet hash: SHA-256 of the canonical JSON of the packet's manifest. */
export function reviewPacketHash(packet: Omit<ReviewPacket, 'integrity'> & { integrity?: unknown }): string {
  return canonicalSha256Hex(packetManifest(packet));
}

/** Migrations from older packet tags (none yet: v1 is the first). */
export const reviewPacketMigrations: readonly Migration[] = [];

/**
 * How `preflight.reviewpacket/v1` is loaded (tag, schema). Its hashes are verified by
 * `verifyReviewPacket` (src/core/signoff/exports/packets.ts), which names the first broken record.
 */
export const reviewPacketFormat: FormatDefinition<ReviewPacket> = {
  tag: REVIEW_PACKET_FORMAT,
  title: FORMAT_FAMILIES.reviewpacket,
  schemaId: REVIEW_PACKET_SCHEMA_ID,
  validate: validateReviewPacket,
  migrations: reviewPacketMigrations,
};

/** Loads a review packet from parsed JSON (tag, schema). Never throws. */
export function loadReviewPacket(json: unknown): LoadResult<ReviewPacket> {
  return loadDocument(reviewPacketFormat, json);
}
