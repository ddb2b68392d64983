/**
 * `preflight.reviewresults/v1`: a clinician's results on a review packet, merged back into the data
 * lead's project (review packets, docs/product.md#sign-off): the packet's manifest (keys and
 * fingerprints, no record content), the reviewer's review with every decision, and the reviewer's
 * hash-chained audit log of those decisions. When the packet carried a result-key secret
 * (`manifest.resultKeys`), every record key in the file is its keyed hash and the secret is left
 * out, so the file holds no key; otherwise it holds the record keys, which may be MRNs. A comment
 * or change reason quoting an identifier of its record is refused at merge; one that describes a
 * patient in other words is not caught. Verified by `verifyReviewResults` (src/core/signoff/exports/packets.ts).
 *
 * Constraint: `integrity.sha256` is SHA-256 over the RFC 8785 canonical JSON of the file without
 * `integrity`; the chain's entries are `preflight.auditlog/v1` entries. Extend with a new tag.
 */
import { canonicalSha256Hex } from '../core/hash/index.ts';
import type { AuditEntry, TrailAuditEntry } from './auditLog.ts';
import { validateReviewResults } from './generated/validators.js';
import {
  FORMAT_FAMILIES,
  type FormatDefinition,
  type LoadResult,
  loadDocument,
  type Migration,
} from './loading.ts';
import type { Review } from './review.ts';
import type { PacketManifest } from './reviewPacket.ts';

/** Format tag of review results. */
export const REVIEW_RESULTS_FORMAT = 'preflight.reviewresults/v1';

/** `$id` of the review-results JSON Schema (src/formats/reviewResults.schema.json). */
export const REVIEW_RESULTS_SCHEMA_ID = 'urn:preflight:format:reviewresults:v1';

/**
 * A packet's manifest as a results file carries it. With `resultKeys`, every record key in the
 * file is its keyed hash and the packet's secret is left out, so the manifest hashes to the packet
 * hash only once the data lead restores both.
 */
export type ResultsManifest = Omit<PacketManifest, 'resultKeys'> & { resultKeys?: { hash: 'HMAC-SHA-256' } };

/** The packet a results file answers: its hash and its manifest (no record content). */
export interface ResultsPacket {
  /** the packet hash */
  sha256: string;
  manifest: ResultsManifest;
}

/** A clinician's results on a packet. */
export interface ReviewResults {
  format: typeof REVIEW_RESULTS_FORMAT;
  exportedAt: string;
  packet: ResultsPacket;
  review: Review;
  /** the clinician's chain: decisions, and the trail of their project before them (never a signature) */
  entries: (AuditEntry | TrailAuditEntry)[];
  integrity: { sha256: string };
}

/** The integrity hash of a results file: over everything but `integrity`. */
export function reviewResultsIntegrity(
  file: Omit<ReviewResults, 'integrity'> & { integrity?: unknown },
): string {
  const { integrity: _ignored, ...rest } = file;
  return canonicalSha256Hex(rest);
}

/** A results file for export, with its integrity hash. */
export function createReviewResultsFile(content: Omit<ReviewResults, 'format' | 'integrity'>): ReviewResults {
  const body = { format: REVIEW_RESULTS_FORMAT, ...content } as const;
  return { ...body, integrity: { sha256: reviewResultsIntegrity(body) } };
}

/** Migrations from older results tags (none yet). */
export const reviewResultsMigrations: readonly Migration[] = [];

/** How `preflight.reviewresults/v1` is loaded (tag, schema). */
export const reviewResultsFormat: FormatDefinition<ReviewResults> = {
  tag: REVIEW_RESULTS_FORMAT,
  title: FORMAT_FAMILIES.reviewresults,
  schemaId: REVIEW_RESULTS_SCHEMA_ID,
  validate: validateReviewResults,
  migrations: reviewResultsMigrations,
};

/** Loads review results from parsed JSON (tag, schema). Never throws. */
export function loadReviewResults(json: unknown): LoadResult<ReviewResults> {
  return loadDocument(reviewResultsFormat, json);
}
