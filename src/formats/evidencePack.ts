/**
 * `preflight.evidence-pack/v1`: the readiness evidence pack as the Readiness screen downloads it —
 * what a steering committee reads and files before it decides go or no-go. Built by
 * `evidencePack` (src/core/readiness/evidencePack.ts, whose `EvidencePack` type is the full shape)
 * and verified by `preflight readiness verify-pack`; loaded here so that `preflight check` checks
 * its shape by the same schema as every other Preflight file.
 *
 * This type is what the schema guarantees: the verifier, not the schema, judges the seal, the
 * signatures and the hashes, so the parts it re-derives (`result`, `steeringDecision`, the audit
 * chain) stay loosely typed here.
 */
import { validateEvidencePack } from './generated/validators.js';
import {
  FORMAT_FAMILIES,
  type FormatDefinition,
  type LoadResult,
  loadDocument,
  type Migration,
} from './loading.ts';

/** Format tag of an evidence pack. */
export const EVIDENCE_PACK_FORMAT = 'preflight.evidence-pack/v1';
/** `$id` of its JSON Schema (src/formats/evidencePack.schema.json). */
export const EVIDENCE_PACK_SCHEMA_ID = 'urn:preflight:format:evidence-pack:v1';

/** A blocking reason or a risk, as the pack lists it. */
export interface EvidencePackReason {
  text: string;
  blocks: boolean;
  act: 'workflows' | 'migration' | 'signoff' | 'readiness';
  gate?: string;
  phase: string;
  owner?: string;
}

/** An artefact a phase was judged on, with the hash of the version judged. */
export interface EvidencePackArtefact {
  kind:
    | 'workflow'
    | 'validation-report'
    | 'sign-off'
    | 'safety-assessment'
    | 'training-record'
    | 'rollback-plan'
    | 'role-owners'
    | 'cutover-runbook'
    | 'command-centre'
    | 'dress-rehearsal'
    | 'communication-plan'
    | 'partner-readiness';
  id: string;
  /** what a person calls it */
  name: string;
  /** SHA-256 of the RFC 8785 canonical JSON of the artefact as judged */
  sha256: string;
  /** more to identify it: a date, a version, the hash of signed results */
  detail?: string;
}

/** An evidence pack as its schema guarantees it. */
export interface EvidencePackFile {
  format: typeof EVIDENCE_PACK_FORMAT;
  generatedAt: string;
  project: { id: string; name: string };
  resultSha256: string;
  decision: 'go' | 'no-go';
  gates: string[];
  phases: {
    id: 'discovery' | 'configuration' | 'training' | 'pre-launch' | 'go-live';
    name: string;
    status: 'ready' | 'at-risk' | 'blocked' | 'not-started';
    evidence: string[];
    reasons: EvidencePackReason[];
    artefacts: EvidencePackArtefact[];
  }[];
  reasons: EvidencePackReason[];
  risks: EvidencePackReason[];
  safety: { id: unknown; title: unknown; status: unknown }[];
  steering: { resultSha256: string; earlier: unknown; latest?: object };
  auditChain?: { state: unknown };
  result?: object;
  steeringDecision?: { resultSha256: string; signatures: object[] };
  serverSteeringDecision?: {
    decision: 'go' | 'no-go';
    state: 'current' | 'stale';
    resultSha256: string;
    rationale: string;
    signatures: { signer: { name: string }; meaning: string; signedAt: string }[];
  };
  /** `team-shared-record`: judged on a team server's shared record (absent: the project itself) */
  judgedOn?: 'team-shared-record';
  deciders?: { name: string; title: string }[];
  seal?: { fields: Record<string, string>; sha256: string };
}

/** Migrations from older evidence pack tags (none: v1 is the first). */
export const evidencePackMigrations: readonly Migration[] = [];

/** How `preflight.evidence-pack/v1` is loaded (used by the format registry). */
export const evidencePackFormat: FormatDefinition<EvidencePackFile> = {
  tag: EVIDENCE_PACK_FORMAT,
  title: FORMAT_FAMILIES['evidence-pack'],
  schemaId: EVIDENCE_PACK_SCHEMA_ID,
  validate: validateEvidencePack,
  migrations: evidencePackMigrations,
};

/** Loads an evidence pack from parsed JSON (its shape only). Never throws; problems name paths, not values. */
export function loadEvidencePack(json: unknown): LoadResult<EvidencePackFile> {
  return loadDocument(evidencePackFormat, json);
}
