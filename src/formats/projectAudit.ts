/**
 * `preflight.project-audit/v1`: a shared project's part of the team server's audit log, as its
 * lead exports it. Each entry is a link of the server's chain (`seq`, `prevHash`) and of the
 * project's own chain (`projectSeq`, `projectPrevHash`), so the export is verified on its own:
 * `preflight check` loads it and refuses a changed, removed, reordered or foreign entry.
 *
 * Constraint: an entry's hash is SHA-256 over the RFC 8785 canonical JSON of the entry without
 * its `hash` ({@link serverAuditEntryHash}, the server's rule for every entry it writes); changing
 * the fields that go into it breaks every exported log. Extend with a new tag.
 */
import { canonicalSha256Hex } from '../core/hash/index.ts';
import { validateProjectAudit } from './generated/validators.js';
import { GENESIS_HASH } from './genesis.ts';
import {
  FORMAT_FAMILIES,
  type FormatDefinition,
  type FormatProblem,
  type LoadResult,
  loadDocument,
  type Migration,
  PROBLEM_CODES,
  pointer,
  problem,
} from './loading.ts';

/** Format tag of an exported project audit log. */
export const PROJECT_AUDIT_FORMAT = 'preflight.project-audit/v1';

/** `$id` of its JSON Schema (src/formats/projectAudit.schema.json). */
export const PROJECT_AUDIT_SCHEMA_ID = 'urn:preflight:format:project-audit:v1';

/** One entry of the server's audit log; a project's entries have the project fields too. */
export interface ServerAuditRecord {
  /** 1, 2, 3…: the server's order */
  seq: number;
  /** ISO 8601, UTC, from the server's clock */
  at: string;
  kind: string;
  /** who did it (absent for a failed sign-in) */
  actor: { issuer: string; subject: string; name: string } | null;
  /** ids and reasons only, never record content; a project's entries name it as `project` */
  detail: Record<string, string>;
  prevHash: string;
  /** place among its project's entries, from 1 (a project's entries only) */
  projectSeq?: number;
  /** the hash of its project's entry before, or the genesis hash (a project's entries only) */
  projectPrevHash?: string;
  hash: string;
}

/** An exported project audit log. */
export interface ProjectAuditFile {
  format: typeof PROJECT_AUDIT_FORMAT;
  project: string;
  entries: ServerAuditRecord[];
  /**
   * the server's head when it exported the file: its last entry (the export's own record), as a
   * report prints it; absent in exports made before the server added it
   */
  head?: { projectSeq: number; hash: string; at: string };
  /**
   * the tree head the server signed over the entries (RFC 9162 Merkle tree, each leaf an entry's
   * hash; src/core/transparency); absent in exports made before the server signed heads
   */
  treeHead?: ExportedTreeHead;
  /** the server's log key that signed `treeHead` */
  logKey?: ExportedLogKey;
  /** an inclusion proof against `treeHead` of each signature and review decision entry */
  inclusionProofs?: { projectSeq: number; proof: string[] }[];
  /**
   * the decisions the entries record, as the server holds them (comment, fields marked wrong,
   * stated role), each bound to its entry (`projectSeq`) by its SHA-256; absent in older exports
   */
  decisions?: { projectSeq: number; decision: ExportedDecision }[];
}

/**
 * A decision as an export carries it: a `preflight.review/v1` decision (review.ts `Decision`, which
 * the schema checks it against), typed here by its id alone, as review.ts reads this file's types.
 */
export interface ExportedDecision {
  id: string;
}

/**
 * The server's log key as an export names it (src/core/transparency `LogKey`), with every key
 * the server signed heads with, when it ever rotated its key.
 */
export interface ExportedLogKey {
  keyId: string;
  publicKey: string;
  algorithm: 'Ed25519';
  /**
   * every log key of the server, oldest first, this one last: each after the first rotated to
   * from the one before, signed by it (src/core/transparency `LogKeyRecord`); absent when the
   * server never rotated its key
   */
  history?: {
    keyId: string;
    publicKey: string;
    algorithm: 'Ed25519';
    createdAt: string;
    rotatedFrom?: { keyId: string; signature: string };
  }[];
}

/** A signed tree head as an export carries it (src/core/transparency `SignedTreeHead`). */
export interface ExportedTreeHead {
  project: string;
  size: number;
  rootHash: string;
  timestamp: string;
  keyId: string;
  signature: string;
  /** RFC 3161 time-stamp token (base64 DER) over the head, when the server had an authority */
  timeStamp?: string;
}

/** The hash of a server audit entry: everything but its own `hash`. */
export function serverAuditEntryHash(entry: Omit<ServerAuditRecord, 'hash'>): string {
  const project =
    entry.projectSeq === undefined
      ? {}
      : { projectSeq: entry.projectSeq, projectPrevHash: entry.projectPrevHash };
  return canonicalSha256Hex({
    seq: entry.seq,
    at: entry.at,
    kind: entry.kind,
    actor: entry.actor,
    detail: entry.detail,
    prevHash: entry.prevHash,
    ...project,
  });
}

/** Why an entry breaks a project's chain. */
export type ProjectChainProblem = 'project' | 'sequence' | 'link' | 'hash';

/**
 * The first of `project`'s entries that breaks its chain — an entry of another project, a gap
 * in `projectSeq`, a `projectPrevHash` that is not the entry before's hash, or a hash that is not
 * its content's — or undefined when all hold. A cut at the end passes: the file's head and the
 * server's own log catch it (`preflight signoff verify --server`).
 */
export function firstBrokenProjectEntry(
  project: string,
  entries: readonly ServerAuditRecord[],
): { index: number; problem: ProjectChainProblem } | undefined {
  let prev = GENESIS_HASH;
  for (const [index, entry] of entries.entries()) {
    if (entry.detail.project !== project) return { index, problem: 'project' };
    if (entry.projectSeq !== index + 1) return { index, problem: 'sequence' };
    if (entry.projectPrevHash !== prev) return { index, problem: 'link' };
    if (serverAuditEntryHash(entry) !== entry.hash) return { index, problem: 'hash' };
    prev = entry.hash;
  }
  return undefined;
}

const CHAIN_MESSAGES: Record<ProjectChainProblem, string> = {
  project: 'is an entry of another project',
  sequence: 'is not the next of the project’s entries: one is missing or out of order',
  link: 'does not link to the project’s entry before it',
  hash: 'has been changed since the server wrote it (its hash does not match)',
};

/**
 * The first of the file's decisions that is not the one its entry records (no such entry, another
 * decision's id, or content whose SHA-256 is not the entry's `decisionSha256`).
 */
function firstUnboundDecision(file: ProjectAuditFile): FormatProblem | undefined {
  const bySeq = new Map(file.entries.map((e) => [e.projectSeq, e]));
  for (const [i, { projectSeq, decision }] of (file.decisions ?? []).entries()) {
    const entry = bySeq.get(projectSeq);
    if (
      entry === undefined ||
      entry.detail.decision !== decision.id ||
      entry.detail.decisionSha256 !== canonicalSha256Hex(decision)
    )
      return problem(
        pointer('decisions', i),
        PROBLEM_CODES.integrityMismatch,
        'is not the decision its entry records: it was changed, or moved to another entry',
      );
  }
  return undefined;
}

/** The chain, checked on load: the first entry that breaks it, then the first decision not its entry's. */
export function checkProjectAudit(file: ProjectAuditFile): FormatProblem[] {
  const chain = checkProjectChain(file);
  if (chain.length > 0) return chain;
  const unbound = firstUnboundDecision(file);
  return unbound === undefined ? [] : [unbound];
}

/** The chain and the heads the file carries, checked: the first entry or head that does not hold. */
function checkProjectChain(file: ProjectAuditFile): FormatProblem[] {
  const broken = firstBrokenProjectEntry(file.project, file.entries);
  const last = file.entries[file.entries.length - 1];
  if (broken === undefined && file.treeHead !== undefined && file.treeHead.size !== file.entries.length)
    return [
      problem(
        pointer('treeHead'),
        PROBLEM_CODES.integrityMismatch,
        'does not cover the file’s entries: entries were cut or added, or the head was edited',
      ),
    ];
  if (
    broken === undefined &&
    file.head !== undefined &&
    (last === undefined || last.hash !== file.head.hash || last.projectSeq !== file.head.projectSeq)
  )
    return [
      problem(
        pointer('head'),
        PROBLEM_CODES.integrityMismatch,
        'is not the last of the file’s entries: entries were cut, or the head was edited',
      ),
    ];
  if (broken === undefined) return [];
  return [
    problem(
      pointer('entries', broken.index),
      PROBLEM_CODES.integrityMismatch,
      CHAIN_MESSAGES[broken.problem],
    ),
  ];
}

/** Migrations from older tags (none: v1 is the first). */
export const projectAuditMigrations: readonly Migration[] = [];

/** How `preflight.project-audit/v1` is loaded (used by the format registry). */
export const projectAuditFormat: FormatDefinition<ProjectAuditFile> = {
  tag: PROJECT_AUDIT_FORMAT,
  title: FORMAT_FAMILIES['project-audit'],
  schemaId: PROJECT_AUDIT_SCHEMA_ID,
  validate: validateProjectAudit,
  check: checkProjectAudit,
  migrations: projectAuditMigrations,
};

/** Loads an exported project audit log from parsed JSON. Never throws; problems name paths, not values. */
export function loadProjectAudit(json: unknown): LoadResult<ProjectAuditFile> {
  return loadDocument(projectAuditFormat, json);
}
