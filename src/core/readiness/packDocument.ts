/**
 * The printed evidence pack as a list of blocks — headings, paragraphs, lists and tables — made
 * from the pack alone, so anything that lays out pages (the CLI's PDF writer) prints what the
 * meeting reads without a browser: page 1 (the verdict, the go-live day, the steering decision
 * with its rationale and a table of its signatures — who signed, role, when, the meaning word for
 * word and whether each verifies —, the same for a go/no-go signed on the team server,
 * attendees and quorum, the conditions for go, the path to go, the blocking reasons with owner and
 * due day, then the readiness board (boardBlocks.ts: phases, rehearsals, sign-off, capacity,
 * failing data, the issue log, forecast vs what happened), who decides, the risks), then the
 * evidence per phase with a table of the artefacts each
 * was judged on and their SHA-256, the rollback triggers, the runbook table and the safety
 * self-assessment. Pure; holds no layout. The browser's printed pack renders these same blocks
 * (the readiness pack view), so what the pack says is written here once.
 *
 * Constraint: a signature's verification is asynchronous (a WebAuthn assertion), so it is given
 * (`signatureChecks`, from `steeringDecisionChecks`); a pack printed without them says each
 * signature was not checked, never that it verifies.
 */

import { listWords } from '../../formats/listWords.ts';
import type { SteeringSignature } from '../../formats/steering.ts';
import { formatRecordedTime } from '../signoff/review/index.ts';
import { SERVER_SIGNER_CONFIRMED } from '../signoff/signing/index.ts';
import { ROLE_LABELS, ROLES, type Role } from '../teamRoles/index.ts';
import { boardBlocks, boardPhaseTable } from './boardBlocks.ts';
import { STEP_STATUS_WORDS } from './cutover.ts';
import {
  auditChainWords,
  decidersLine,
  type EvidencePack,
  PACK_JUDGED_ON_TEAM,
  type PackArtefact,
  type PackAuditChain,
  type PackReason,
} from './evidencePack.ts';
import { GATE_NAMES } from './gates.ts';
import { durationWords } from './meetingPack.ts';
import type { PackBlock } from './packBlock.ts';
import { pathOwnerWords, pathPastWords } from './pathToGo.ts';
import { SAFER_GUIDE_STATE_WORDS, saferGuideCounts, safetyGateWords } from './safety.ts';
import { type SteeringSignatureCheck, steeringReauthenticationText } from './steering.ts';

export type { PackBlock };

/** How the pack is printed where it is read. */
interface PackDocumentOptions {
  /**
   * the project is shared with a team server, so a decision recorded in a browser is named as
   * typed names, not as the committee's signatures
   */
  shared?: boolean;
  /**
   * each signature of the pack's steering decision as verified (`steeringDecisionChecks`), by
   * signature id; absent: the pack says they were not checked for this print
   */
  signatureChecks?: readonly SteeringSignatureCheck[];
}

const NONE = '—';

/** Each kind of artefact as the pack's table names it. */
const ARTEFACT_KIND_WORDS: Readonly<Record<PackArtefact['kind'], string>> = {
  workflow: 'Workflow',
  'validation-report': 'Validation report',
  'sign-off': 'Sign-off',
  'safety-assessment': 'Self-assessment',
  'training-record': 'Training record',
  'rollback-plan': 'Rollback plan',
  'role-owners': 'Role owners',
  'cutover-runbook': 'Cutover runbook',
  'command-centre': 'Command centre',
  'dress-rehearsal': 'Dress rehearsal',
  'communication-plan': 'Communication plan',
  'partner-readiness': 'Partners',
};

/** The columns of a signature table, and their shares of the width. */
const SIGNATURE_COLUMNS = ['Signed by', 'Role', 'Signed', 'Meaning', 'Verification'];
const SIGNATURE_WIDTHS = [0.18, 0.14, 0.15, 0.3, 0.23];

/** Whether a signature verifies, and how its signer re-authenticated, as the pack prints it. */
function verificationWords(signature: SteeringSignature, check: SteeringSignatureCheck | undefined): string {
  const how = steeringReauthenticationText(signature.reauthentication.method);
  if (check === undefined) return `Not checked for this print; ${how}`;
  return check.ok ? `Verifies; ${how}` : `DOES NOT VERIFY: ${check.message ?? 'no reason given'}; ${how}`;
}

/** A decision's state in words: current, or stale with the hash it bound. */
function decisionState(latest: { state: 'current' | 'stale'; resultSha256: string }): string {
  return latest.state === 'current'
    ? 'current: taken on this readiness result.'
    : `STALE: the evidence changed after it was taken (it bound ${latest.resultSha256.slice(0, 12)}…). The committee must decide again.`;
}

/** The signatures of the pack's steering decisions, as signed (see the header). */
function signatureBlocks(
  pack: EvidencePack,
  checks: readonly SteeringSignatureCheck[] | undefined,
): PackBlock[] {
  const out: PackBlock[] = [];
  const decision = pack.steeringDecision;
  if (pack.steering.latest && decision) {
    const byId = new Map((checks ?? []).map((c) => [c.signatureId, c]));
    out.push({ kind: 'paragraph', text: `Rationale: ${decision.rationale}`, id: 'rationale' });
    out.push({
      kind: 'table',
      id: 'signatures',
      caption: 'Steering decision signatures',
      columns: SIGNATURE_COLUMNS,
      widths: SIGNATURE_WIDTHS,
      rows: decision.signatures.map((s) => [
        `${s.signer.name} (${s.signer.id})`,
        s.signer.role,
        formatRecordedTime(s.signedAt),
        `“${s.meaning}”`,
        verificationWords(s, checks === undefined ? undefined : byId.get(s.id)),
      ]),
    });
  }
  const onServer = pack.serverSteeringDecision;
  if (onServer) {
    out.push({
      kind: 'paragraph',
      text: `Signed on the team server: ${onServer.decision === 'go' ? 'Go' : 'No-go'}, decided ${formatRecordedTime(onServer.recordedAt)} — ${decisionState(onServer)}`,
      ...(onServer.state === 'stale' ? { flag: true } : {}),
      id: 'server-steering',
    });
    out.push({ kind: 'paragraph', text: `Rationale: ${onServer.rationale}`, id: 'server-rationale' });
    out.push({
      kind: 'table',
      id: 'server-signatures',
      caption: 'Steering decision signed on the team server',
      columns: SIGNATURE_COLUMNS,
      widths: SIGNATURE_WIDTHS,
      rows: onServer.signatures.map((s) => [
        s.signer.name,
        s.role === 'steering' ? 'steering committee' : s.role,
        formatRecordedTime(s.signedAt),
        `“${s.meaning}”`,
        `Verified: ${SERVER_SIGNER_CONFIRMED} (entry ${s.projectSeq} of the project’s log)`,
      ]),
    });
  }
  return out;
}

/** A role of a signature on the team server in the roster's words; a job title signed here as it is. */
function serverRoleWords(role: string): string {
  return (ROLES as readonly string[]).includes(role) ? ROLE_LABELS[role as Role].toLowerCase() : role;
}

/** The local chain on a shared project: its entries and head, not the committee's signatures (they are the server's). */
function browserChainWords(chain: PackAuditChain): string {
  return chain.state === 'broken'
    ? `broken at entry ${chain.entry}.`
    : `${chain.entries} ${chain.entries === 1 ? 'entry' : 'entries'}, chain intact; head ${chain.head}.`;
}

/**
 * Who signed the clinicians' review of each sample plan, by name and role (a plan nobody signed
 * says so): page 1 names the people who answer for the sample.
 */
function reviewSignerBlocks(pack: EvidencePack): PackBlock[] {
  const plans = pack.reviewSigners;
  if (!plans || plans.length === 0) return [];
  const signed = plans.filter((pl) => pl.signers.length > 0);
  const unsigned = plans.filter((pl) => pl.signers.length === 0);
  return [
    { kind: 'heading', text: 'Who signed the clinicians’ review', id: 'review-signers-title' },
    ...(signed.length > 0
      ? [
          {
            kind: 'table' as const,
            id: 'review-signers',
            caption: 'Signatures on the clinicians’ review',
            columns: ['Sample plan', 'Signed by', 'Role', 'Signed', 'Meaning'],
            widths: [0.22, 0.16, 0.14, 0.16, 0.32],
            rows: signed.flatMap((pl) =>
              pl.signers.map((s) => [
                pl.plan,
                s.name,
                serverRoleWords(s.role),
                formatRecordedTime(s.signedAt),
                `“${s.meaning}”`,
              ]),
            ),
          },
        ]
      : []),
    ...unsigned.map(
      (pl): PackBlock => ({ kind: 'paragraph', text: `“${pl.plan}”: no clinician has signed its review.` }),
    ),
  ];
}

/** The artefacts a phase was judged on, each by the SHA-256 of the version judged. */
function artefactTable(phase: EvidencePack['phases'][number]): PackBlock {
  return {
    kind: 'table',
    id: `artefacts-${phase.id}`,
    caption: `Artefacts judged (${phase.name})`,
    columns: ['Kind', 'Artefact', 'SHA-256'],
    // the hash column holds a whole SHA-256 on one line of the PDF
    widths: [0.14, 0.24, 0.62],
    rows: phase.artefacts.map((a) => [
      ARTEFACT_KIND_WORDS[a.kind],
      `${a.name}${a.detail ? ` (${a.detail})` : ''}`,
      a.sha256,
    ]),
  };
}

/** A reason as the meeting reads it: the phase it is in, then what it says. */
function inPhase(pack: EvidencePack, r: PackReason): string {
  const phase = pack.phases.find((p) => p.id === r.phase);
  return phase ? `${phase.name}: ${r.text}` : r.text;
}

function reasonsTable(pack: EvidencePack, caption: string, items: readonly PackReason[]): PackBlock {
  return {
    kind: 'table',
    caption,
    columns: ['Reason', 'Owner', 'Due'],
    widths: [0.64, 0.22, 0.14],
    rows: items.map((r) => [
      inPhase(pack, r),
      r.owner ?? 'no owner named',
      r.due ? (r.overdue ? `OVERDUE: was ${r.due}` : r.due) : NONE,
    ]),
  };
}

/** The blocks of `pack`, in print order (see the header). */
export function packDocument(pack: EvidencePack, options: PackDocumentOptions = {}): PackBlock[] {
  const out: PackBlock[] = [];
  const p = (text: string, flag = false, id?: string): void => {
    out.push({ kind: 'paragraph', text, ...(flag ? { flag } : {}), ...(id ? { id } : {}) });
  };
  out.push({ kind: 'title', text: `Go-live evidence pack: ${pack.project.name}`, id: 'title' });
  p(`Made ${formatRecordedTime(pack.generatedAt)} · readiness result ${pack.resultSha256}`, false, 'meta');
  p(
    `Preflight computes: ${pack.decision === 'go' ? 'GO' : 'NO-GO'} · gates in effect: ${pack.gates.join('; ')}.`,
    pack.decision !== 'go',
    'decision',
  );
  const meeting = pack.meeting;
  if (meeting)
    p(
      meeting.goLiveDay.words,
      meeting.goLiveDay.state === 'past' || meeting.goLiveDay.state === 'too-close',
      'go-live-day',
    );
  const latest = pack.steering.latest;
  // a shared project's committee signs on the team server: page 1 reads the server's record, the
  // same the signature table below lists, never this browser's own log
  const shared = options.shared === true || pack.judgedOn === PACK_JUDGED_ON_TEAM;
  const onServer = pack.serverSteeringDecision;
  const typedWords = (l: NonNullable<typeof latest>, typed: string) =>
    `${typed}${l.decision === 'go' ? 'Go' : 'No-go'}, decided ${formatRecordedTime(l.recordedAt)}, signed by ${l.signers.map((s) => `${s.name} (${s.role})`).join(', ')} — ${decisionState(l)}`;
  if (shared) {
    p(
      onServer
        ? `Steering committee, signed on the team server: ${onServer.decision === 'go' ? 'Go' : 'No-go'}, decided ${formatRecordedTime(onServer.recordedAt)}, signed by ${onServer.signatures.map((s) => `${s.signer.name} (${serverRoleWords(s.role)})`).join(', ')} — ${decisionState(onServer)}`
        : 'Steering committee: no decision signed on the team server.',
      onServer?.state === 'stale',
      'steering',
    );
    if (latest)
      p(
        `Also in this browser: ${typedWords(latest, 'a decision recorded with typed names, not signed on the team server: ')}`,
        false,
        'steering-typed',
      );
  } else
    p(
      latest ? `Steering committee: ${typedWords(latest, '')}` : 'Steering committee: no decision recorded.',
      latest?.state === 'stale',
      'steering',
    );
  out.push(...signatureBlocks(pack, options.signatureChecks));
  if (shared) {
    const n = onServer?.signatures.length ?? 0;
    p(
      `Audit log on the team server: ${n === 1 ? '1 steering signature' : `${n} steering signatures`} recorded${onServer && n > 0 ? ` for its latest decision (${n === 1 ? 'entry' : 'entries'} ${listWords(onServer.signatures.map((s) => String(s.projectSeq)))} of the project’s log)` : ''}.${pack.auditChain ? ` This browser’s own log: ${browserChainWords(pack.auditChain)}` : ''}`,
      false,
      'chain',
    );
  } else
    p(
      pack.auditChain ? auditChainWords(pack.auditChain) : 'Audit log: not read for this pack.',
      false,
      'chain',
    );

  if (meeting?.quorum) {
    out.push({ kind: 'heading', text: 'Attendees and quorum' });
    const attendees = meeting.attendees ?? [];
    if (attendees.length === 0) p('No attendee recorded.');
    else
      out.push({
        kind: 'list',
        label: 'Attendees',
        items: attendees.map(
          (a) =>
            `${a.name}${a.role ? ` (${a.role})` : ''}${a.steering ? ', steering member' : ''} — ${a.attended ? 'attended' : 'absent'}`,
        ),
      });
    p(meeting.quorum.words, meeting.quorum.state === 'not-met', 'quorum');
    out.push({ kind: 'heading', text: 'Conditions for go' });
    const conditions = meeting.conditions ?? [];
    if (conditions.length === 0) p('No condition recorded.');
    else
      out.push({
        kind: 'table',
        caption: 'Conditions for go',
        columns: ['Condition', 'Owner', 'Due'],
        widths: [0.62, 0.24, 0.14],
        rows: conditions.map((c) => [c.text, c.owner ?? 'no owner named', c.due ?? NONE]),
      });
  }
  if (pack.pathToGo && pack.pathToGo.length > 0) {
    out.push({ kind: 'heading', text: 'Path to go' });
    const past = pathPastWords(pack.pathToGo);
    if (past) p(past, true, 'path-past');
    out.push({
      kind: 'table',
      id: 'path-to-go',
      caption: 'The fewest actions that clear every blocking reason, highest risk first',
      columns: ['Action', 'Gate', 'Owner', 'Due'],
      widths: [0.5, 0.16, 0.2, 0.14],
      rows: pack.pathToGo.map((a) => [
        a.action,
        a.gate ? GATE_NAMES[a.gate] : NONE,
        pathOwnerWords(a),
        // a path made before due days were judged prints its day as it was
        a.due === null ? NONE : a.dueState === 'past' ? `OVERDUE: was ${a.due}` : a.due,
      ]),
    });
  }
  out.push({ kind: 'heading', text: 'Why no-go' });
  if (pack.reasons.length === 0) p('Nothing blocks go-live.');
  else out.push(reasonsTable(pack, 'Blocking reasons', pack.reasons));
  out.push(...reviewSignerBlocks(pack));
  // the board after what to do (page 1 leads with the path to go and the reasons); a pack made
  // before the board had only phases
  const board = pack.result?.board;
  if (board && pack.result) out.push(...boardBlocks(board, pack.result.gates, meeting?.quorum));
  else
    out.push(
      { kind: 'heading', text: 'Status per phase', id: 'board' },
      boardPhaseTable(
        pack.phases.map((ph) => ({
          name: ph.name,
          status: ph.status,
          blocking: ph.reasons.filter((r) => r.blocks).length,
          risks: ph.reasons.filter((r) => !r.blocks).length,
        })),
      ),
    );
  p(decidersLine(pack.deciders), false, 'deciders');
  out.push({ kind: 'heading', text: 'Outstanding risks' });
  if (pack.risks.length === 0) p('None.');
  else
    out.push({
      kind: 'list',
      label: 'Outstanding risks',
      items: pack.risks.map((r) => `${inPhase(pack, r)}${r.owner ? ` (owner: ${r.owner})` : ''}`),
    });

  out.push({ kind: 'page-break' });
  out.push({ kind: 'title', text: 'Evidence per phase', id: 'evidence-title' });
  for (const phase of pack.phases) {
    out.push({ kind: 'heading', text: `${phase.name}: ${phase.status.replace('-', ' ')}`, id: phase.id });
    if (phase.evidence.length > 0) out.push({ kind: 'list', items: phase.evidence });
    if (phase.artefacts.length > 0) out.push(artefactTable(phase));
  }
  if (meeting) {
    out.push({ kind: 'heading', text: 'Rollback triggers', id: 'cutover' });
    p(
      `${meeting.rollbackTriggers ?? 'none recorded.'}${meeting.rollbackDecidedBy ? ` Who decides to roll back: ${meeting.rollbackDecidedBy}.` : ''}`,
      false,
      'rollback-triggers',
    );
    out.push({ kind: 'heading', text: 'Cutover runbook' });
    if (meeting.runbook.length === 0) p('No runbook recorded.');
    else
      out.push({
        kind: 'table',
        id: 'runbook',
        caption: 'Cutover runbook',
        columns: ['Step', 'Owner', 'Start', 'Duration', 'Waits for', 'Status'],
        widths: [0.28, 0.16, 0.17, 0.1, 0.17, 0.12],
        rows: meeting.runbook.map((r) => [
          r.title,
          r.owner ?? 'no owner named',
          r.start?.replace('T', ' ') ?? NONE,
          durationWords(r.durationMin),
          r.after.join(', ') || NONE,
          STEP_STATUS_WORDS[r.status],
        ]),
      });
  }
  out.push({ kind: 'heading', text: 'Safety self-assessment', id: 'safety-title' });
  const guides = pack.result?.safetyGuides;
  if (guides && guides.length > 0)
    out.push({
      kind: 'list',
      label: 'SAFER guides',
      items: guides.map(
        (g) =>
          `${g.title}: ${SAFER_GUIDE_STATE_WORDS[g.state]} (${saferGuideCounts(g)}; gate: ${safetyGateWords(g.gate)}).`,
      ),
    });
  out.push({
    kind: 'table',
    id: 'safety',
    caption: 'Practices, by the SAFER guides of 2025 on their five-point scale',
    columns: ['Practice', 'Implementation', 'Evidence grade', 'Owner', 'Evidence and note'],
    widths: [0.26, 0.2, 0.13, 0.13, 0.28],
    rows: pack.safety.map((i) => [
      i.guide ? `${i.title} (${i.guide})` : i.title,
      `${i.level ?? i.status}${i.overridden ? ` (set by ${i.by} against the evidence: ${i.reason})` : ''}`,
      i.grade ?? 'not graded',
      i.owner ?? 'not named',
      [
        ...(i.evidenceKept ? [`Kept at: ${i.evidenceKept}.`] : []),
        ...i.evidence,
        ...(i.note ? [`Note: ${i.note}`] : []),
      ].join(' ') || NONE,
    ]),
  });
  return out;
}
