/**
 * The evidence pack: what a steering committee reads and files before it decides. A one-page
 * summary (status per phase, blocking reasons, outstanding risks with their owners, the decision
 * and whether it is current), then the evidence per phase, each phase naming the artefacts it was
 * judged on with their hashes — workflow versions, validation reports, sign-off reviews, the
 * self-assessment — so every figure can be traced to the artefact it came from.
 *
 * The same object is the pack's JSON export and what the printable page renders. Pure: the time
 * it was made is given.
 */
import type { Project } from '../../formats/project.ts';
import { readSafetyAssessment } from '../../formats/steering.ts';
import { canonicalSha256Hex } from '../hash/canonicalJson.ts';
import { resultsHash } from '../signoff/signature.ts';
import { describeGates } from './gates.ts';
import { SAFETY_STATUS_WORDS } from './safety.ts';
import type { PhaseId, PhaseReason, PhaseStatus, ReadinessResult } from './types.ts';

/** Tag of the pack's JSON export. */
export const EVIDENCE_PACK_FORMAT = 'preflight.evidence-pack/v1';

/** An artefact a phase was judged on, with the hash that identifies the version judged. */
export interface PackArtefact {
  kind: 'workflow' | 'validation-report' | 'sign-off' | 'safety-assessment';
  id: string;
  /** what a person calls it */
  name: string;
  /** SHA-256 of the RFC 8785 canonical JSON of the artefact as judged */
  sha256: string;
  /** more to identify it: a date, a version, the hash of signed results */
  detail?: string;
}

/** A reason or a risk, with who answers for it where the project names someone. */
export type PackReason = PhaseReason & { owner?: string };

/** The pack (its JSON export). */
export interface EvidencePack {
  format: typeof EVIDENCE_PACK_FORMAT;
  generatedAt: string;
  project: { id: string; name: string };
  /** SHA-256 of the readiness result (what a decision binds) */
  resultSha256: string;
  decision: ReadinessResult['decision'];
  gates: string[];
  phases: {
    id: PhaseId;
    name: string;
    status: PhaseStatus;
    evidence: string[];
    reasons: ReadinessResult['reasons'];
    artefacts: PackArtefact[];
  }[];
  /** why no-go, each with its owner where one is named */
  reasons: PackReason[];
  /** what needs attention without blocking, each with its owner where one is named */
  risks: PackReason[];
  safety: {
    id: string;
    title: string;
    status: string;
    owner?: string;
    note?: string;
    evidence: string[];
    overridden: boolean;
    by?: string;
    reason?: string;
  }[];
  steering: ReadinessResult['steering'];
}

const hash = (value: unknown) => canonicalSha256Hex(value);

/** The artefacts each phase reads. */
function artefacts(project: Project): Record<PhaseId, PackArtefact[]> {
  const current = project.workflows.filter((w) => w.state === 'current');
  const future = project.workflows.filter((w) => w.state === 'future');
  const workflow = (w: Project['workflows'][number]): PackArtefact => ({
    kind: 'workflow',
    id: w.id,
    name: w.name,
    sha256: hash(w),
    detail: w.state === 'current' ? 'today' : 'planned',
  });
  const reports = project.reports.map(
    (r): PackArtefact => ({
      kind: 'validation-report',
      id: r.id,
      name: r.inputs.map((i) => i.name).join(', ') || 'validation report',
      sha256: hash(r),
      detail: `checked ${r.generatedAt}`,
    }),
  );
  const plans = new Map(project.samplePlans.map((p) => [p.id, p.name]));
  const reviews = (project.reviews ?? []).map(
    (r): PackArtefact => ({
      kind: 'sign-off',
      id: r.id,
      name: `Sign-off of “${plans.get(r.plan.id) ?? r.plan.id}”`,
      sha256: hash(r),
      detail: `plan ${r.plan.hash.slice(0, 12)}…, results ${resultsHash(r).slice(0, 12)}…, ${r.signatures?.length ?? 0} signature(s)`,
    }),
  );
  const safety: PackArtefact = {
    kind: 'safety-assessment',
    id: 'safety-assessment',
    name: 'Safety self-assessment',
    sha256: hash(readSafetyAssessment(project.meta.settings)),
  };
  return {
    discovery: [...current, ...future].map(workflow),
    configuration: [...current, ...future].map(workflow),
    training: [...current, ...future].map(workflow),
    'pre-launch': [...reports, ...reviews, ...future.map(workflow)],
    'go-live': [...future.map(workflow), safety],
  };
}

/** The evidence pack of `project` judged as `result`, made at `generatedAt`. */
export function evidencePack(project: Project, result: ReadinessResult, generatedAt: string): EvidencePack {
  const byPhase = artefacts(project);
  const owners = new Map(result.safety.map((i) => [i.title, i.answer?.owner]));
  const ownerOf = (text: string) => {
    for (const [title, owner] of owners)
      if (owner && text.startsWith(`Safety self-assessment: ${title} `)) return owner;
    return undefined;
  };
  const withOwner = (r: PhaseReason): PackReason => {
    const owner = ownerOf(r.text);
    return owner ? { ...r, owner } : r;
  };
  return {
    format: EVIDENCE_PACK_FORMAT,
    generatedAt,
    project: { id: project.meta.id, name: project.meta.name },
    resultSha256: result.steering.resultSha256,
    decision: result.decision,
    gates: describeGates(result.gates),
    phases: result.phases.map((p) => ({
      id: p.id,
      name: p.name,
      status: p.status,
      evidence: p.evidence,
      reasons: p.reasons.map((r) => ({ ...r, phase: p.id })),
      artefacts: byPhase[p.id],
    })),
    reasons: result.reasons.map(withOwner),
    risks: result.risks.map(withOwner),
    safety: result.safety.map((i) => ({
      id: i.id,
      title: i.title,
      status: SAFETY_STATUS_WORDS[i.status],
      ...(i.answer?.owner ? { owner: i.answer.owner } : {}),
      ...(i.answer?.note ? { note: i.answer.note } : {}),
      evidence: i.evidence.lines,
      overridden: i.overridden,
      ...(i.answer?.by ? { by: i.answer.by } : {}),
      ...(i.answer?.reason ? { reason: i.answer.reason } : {}),
    })),
    steering: result.steering,
  };
}
