/**
 * `preflight.auditlog/v1`: a project's sign-off audit log as exported — the hash chain of entries,
 * one per recorded decision or sign-off signature, and optionally the reviews holding them and
 * their locked plans. The chain itself
 * is built and verified in src/core/signoff/signing/auditChain.ts.
 *
 * Constraint: an entry's hash is SHA-256 over the RFC 8785 canonical JSON of the entry without
 * its `hash`; changing the fields of an entry breaks every exported log. Extend with a new tag.
 */

import { canonicalSha256Hex } from '../core/hash/index.ts';
import { validateAuditLog } from './generated/validators.js';
import {
  FORMAT_FAMILIES,
  type FormatDefinition,
  type LoadResult,
  loadDocument,
  type Migration,
} from './loading.ts';
import type { ExportedTreeHead, ProjectAuditFile, ServerAuditRecord } from './projectAudit.ts';
import type { Outcome, Review } from './review.ts';
import type { Roster, RosterChange } from './roster.ts';
import type { SamplePlan } from './samplePlan.ts';
import type { SteeringDecision } from './steering.ts';

/** Format tag of an exported audit log. */
export const AUDIT_LOG_FORMAT = 'preflight.auditlog/v1';

/** `$id` of the audit-log JSON Schema (src/formats/auditLog.schema.json). */
export const AUDIT_LOG_SCHEMA_ID = 'urn:preflight:format:auditlog:v1';

export { GENESIS_HASH } from './genesis.ts';

/** One entry of the chain: a recorded decision, a sign-off signature, or another step of the sign-off. */
export type ChainEntry = AuditEntry | SignatureAuditEntry | TrailAuditEntry;

/** The steps of a sign-off other than decisions and signatures that have chain entries. */
export const TRAIL_EVENTS = [
  'plan-lock',
  'sample-draw',
  'roster',
  'packet-export',
  'packet-merge',
  'steering-signature',
  'server-signature',
] as const;
/** A trail event. */
export type TrailEvent = (typeof TRAIL_EVENTS)[number];

/**
 * The entry of a step other than a decision or signature: a plan locked, a sample drawn, a roster
 * change, a review packet exported, a clinician's results merged, an approver's signature on the
 * steering committee's go/no-go. Ids and hashes — never record content (a roster change's entry
 * names the staff id it is about, a steering signature's entry the approver's).
 */
export interface TrailAuditEntry {
  /** position in the chain, from 1 */
  seq: number;
  prevHash: string;
  hash: string;
  event: TrailEvent;
  /** when it happened (RFC 3339 with zone) */
  at: string;
  /**
   * what it records: the plan hash (plan-lock), the review id (sample-draw), the roster change id
   * (roster), the packet id (packet-export), `<packet hash>:<clinician's chain head>` (packet-merge),
   * the signature id (steering-signature, server-signature)
   */
  subjectId: string;
  /** SHA-256 of what it records (see the schema) */
  subjectSha256: string;
  reviewId?: string;
  planHash?: string;
  /** a roster change's kind */
  change?: RosterChange['kind'];
  /**
   * the staff id a roster change is about, the approver who signed (steering-signature), or the
   * reviewer who signed on the team server (server-signature)
   */
  staffId?: string;
  /**
   * steering-signature: the id of the decision signed. A decision that supersedes another (new
   * wording, or taken again on changed evidence) has a new id, so the chain shows the supersession
   */
  steeringDecisionId?: string;
  /**
   * staff id of who did it: the lead who made a roster change; who locked the plan, drew the
   * sample, exported the packet or merged the results, when the file records it
   */
  by?: string;
  /** packet-merge: how many decisions the results brought */
  decisions?: number;
  /** server-signature: the meaning the reviewer signed */
  meaning?: string;
  /** server-signature: the team project whose log holds the signature */
  serverProject?: string;
  /** server-signature: the signature's entry number in that project's log */
  serverEntry?: number;
  /** server-signature: that entry's hash */
  serverEntryHash?: string;
}

/** A sign-off signature's entry: ids and hashes — never record content. */
export interface SignatureAuditEntry {
  /** position in the chain, from 1 */
  seq: number;
  prevHash: string;
  hash: string;
  event: 'signature';
  /** when it was signed (RFC 3339 with zone) */
  at: string;
  reviewId: string;
  signatureId: string;
  planHash: string;
  signerId: string;
  /** SHA-256 of the signature's canonical JSON (re-authentication included) */
  signatureSha256: string;
}

/** A decision's entry: ids, hashes and the outcome — never record content. */
export interface AuditEntry {
  /** position in the chain, from 1 */
  seq: number;
  prevHash: string;
  hash: string;
  event: 'decision';
  /** when the decision was made (RFC 3339 with zone) */
  at: string;
  reviewId: string;
  decisionId: string;
  planHash: string;
  stratum: string;
  outcome: Outcome;
  reviewerId: string;
  /** SHA-256 of the decision's canonical JSON */
  decisionSha256: string;
  /** a changed decision: the id of the decision it replaces (the change from old to new is in the chain) */
  replaces?: string;
  /** with `replaces`: the replaced decision's outcome */
  previousOutcome?: Outcome;
}

/** An exported audit log. */
export interface AuditLogFile {
  format: typeof AUDIT_LOG_FORMAT;
  projectId: string;
  exportedAt: string;
  entries: ChainEntry[];
  reviews?: Review[];
  /** the project's roster (its changes): logged changes and signing keys are checked against it */
  roster?: Roster;
  /** the locked plans of the reviews (so a signature's plan hash can be checked) */
  plans?: SamplePlan[];
  /** the steering committee's decisions: each logged steering signature is checked against them */
  steering?: SteeringDecision[];
  /**
   * the team server's records of this export (kind `signoff-exported`), one per review sent to a
   * team project; absent for exports made without a team server
   */
  serverRecords?: ServerAuditRecord[];
  /**
   * the team server's signed tree head of each team project whose entries the file names (in
   * `serverRecords` and the signatures made on the server), with its log key and an inclusion
   * proof of each of those entries; absent in exports made before the server signed heads
   */
  treeHeads?: SignoffTreeHead[];
  /** SHA-256 of the canonical JSON of the file without `integrity` (see {@link auditLogIntegrity}) */
  integrity: { sha256: string };
}

/**
 * A team project's signed tree head as a sign-off export carries it: the head, the key that
 * signed it, and an inclusion proof of each entry of that project the file names.
 */
export interface SignoffTreeHead {
  treeHead: ExportedTreeHead;
  logKey: NonNullable<ProjectAuditFile['logKey']>;
  inclusionProofs: { projectSeq: number; proof: string[] }[];
}

/** The integrity hash of an audit-log file: over everything but `integrity`. */
export function auditLogIntegrity(file: Omit<AuditLogFile, 'integrity'> & { integrity?: unknown }): string {
  const { integrity: _ignored, ...rest } = file;
  return canonicalSha256Hex(rest);
}

/** An audit-log file for export, with its integrity hash. */
export function createAuditLogFile(content: Omit<AuditLogFile, 'format' | 'integrity'>): AuditLogFile {
  const body = { format: AUDIT_LOG_FORMAT, ...content } as const;
  return { ...body, integrity: { sha256: auditLogIntegrity(body) } };
}

/** Migrations from older audit-log tags (none yet). */
export const auditLogMigrations: readonly Migration[] = [];

/**
 * How `preflight.auditlog/v1` is loaded. The chain is verified by `verifyAuditChain`
 * (src/core/signoff/signing/auditChain.ts), not here: formats stay free of core logic.
 */
export const auditLogFormat: FormatDefinition<AuditLogFile> = {
  tag: AUDIT_LOG_FORMAT,
  title: FORMAT_FAMILIES.auditlog,
  schemaId: AUDIT_LOG_SCHEMA_ID,
  validate: validateAuditLog,
  migrations: auditLogMigrations,
};

/** Loads an exported audit log (tag, schema). Never throws. */
export function loadAuditLog(json: unknown): LoadResult<AuditLogFile> {
  return loadDocument(auditLogFormat, json);
}
