/**
 * The evidence pack as a printable page (docs/product.md#readiness): a one-page summary — status
 * per phase, the reasons that block, the outstanding risks with their owners, the committee's
 * decision and whether it is current, its rationale and signatures — then the evidence per phase
 * with the artefacts it was judged on and their hashes. Until a current decision is signed, the
 * summary ends with a signature block for the meeting: the decision to tick, room for the
 * rationale and, for each approver on the roster (or blank lines), name, role, date-time and
 * signature under the meaning each signature carries (21 CFR 11.50). Print to PDF from the
 * browser; the same pack downloads as JSON.
 * The print style sheet (readiness.css) prints this page alone.
 */
import {
  auditChainWords,
  decidersLine,
  durationWords,
  type EvidencePack,
  SAFER_GUIDE_STATE_WORDS,
  STEERING_GO_MEANING,
  STEERING_NO_GO_MEANING,
  STEP_STATUS_WORDS,
  saferGuideCounts,
  safetyGateWords,
  steeringReauthenticationText,
} from '../../core/readiness/index.ts';
import { formatRecordedTime } from '../../core/signoff/recordedTime.ts';
import { SERVER_SIGNER_CONFIRMED } from '../../core/signoff/serverChain.ts';
import type { SteeringDecision } from '../../formats/steering.ts';
import { downloadText } from '../common/download.ts';
import { TableScroll } from '../common/TableScroll.tsx';
import { ReadinessBoard } from './ReadinessBoard.tsx';
import { STATUS_LABELS } from './statusLabels.ts';

const KIND_WORDS = {
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
} as const;

/**
 * Who answers for a reason and, when it blocks, by when: the owner and due day of the action that
 * clears it. A pack made before the path to go carries neither, and says nothing of them.
 */
function ownerWords(r: EvidencePack['reasons'][number], withPath: boolean): string {
  if (!withPath) return r.owner ? ` Owner: ${r.owner}.` : '';
  if (!r.blocks) return r.owner ? ` Owner: ${r.owner}.` : '';
  return ` Owner: ${r.owner ?? 'none recorded'}; due: ${r.due ?? 'none recorded'}.`;
}

function Reasons({
  items,
  label,
  withPath,
}: {
  items: EvidencePack['reasons'];
  label: string;
  withPath: boolean;
}) {
  const names = new Map<string, string>([
    ['discovery', 'Discovery'],
    ['configuration', 'Configuration'],
    ['training', 'Training'],
    ['pre-launch', 'Pre-launch'],
    ['go-live', 'Go-live'],
  ]);
  if (items.length === 0) return <p>None.</p>;
  return (
    <ul aria-label={label}>
      {items.map((r) => (
        <li key={r.phase + r.text}>
          <strong>{names.get(r.phase)}:</strong> {r.text}
          {ownerWords(r, withPath) && <span className="pack-owner">{ownerWords(r, withPath)}</span>}
        </li>
      ))}
    </ul>
  );
}

/**
 * The steering decision's rationale and signature block, as signed: each approver's printed name,
 * role and staff id, the date-time with zone and the meaning word for word (21 CFR 11.50), and how
 * they re-authenticated — never "identity confirmed": no identity provider confirmed anyone.
 */
function DecisionSignatures({ decision }: { decision: SteeringDecision }) {
  return (
    <section className="pack-signatures" aria-label="Steering decision signatures">
      <p data-testid="pack-rationale">
        <strong>Rationale: </strong>
        {decision.rationale}
      </p>
      <ul>
        {decision.signatures.map((s) => (
          <li key={s.id}>
            <strong>{s.signer.name}</strong>, {s.signer.role} ({s.signer.id}), signed{' '}
            {formatRecordedTime(s.signedAt)}: “{s.meaning}” ·{' '}
            {steeringReauthenticationText(s.reauthentication.method)}
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * The go/no-go signed on the team server, as the server recorded it: the decision, whether it is
 * current, the rationale, and each member's manifestation (printed name, date-time with zone, the
 * meaning word for word) — each signed as herself, after a fresh sign-in, with her own key.
 */
function ServerDecisionSignatures({
  decision,
}: {
  decision: NonNullable<EvidencePack['serverSteeringDecision']>;
}) {
  return (
    <section
      className="pack-signatures"
      aria-label="Steering decision signed on the team server"
      data-testid="pack-server-steering"
    >
      <p>
        <strong>Signed on the team server: </strong>
        {decision.decision === 'go' ? 'Go' : 'No-go'}, decided {formatRecordedTime(decision.recordedAt)} —{' '}
        {decision.state === 'current'
          ? 'current: taken on this readiness result.'
          : `STALE: the evidence changed after it was taken (it bound ${decision.resultSha256.slice(0, 12)}…). The committee must decide again.`}
      </p>
      <p>
        <strong>Rationale: </strong>
        {decision.rationale}
      </p>
      <ul>
        {decision.signatures.map((s) => (
          <li key={s.projectSeq}>
            <strong>{s.signer.name}</strong>, steering committee, signed {formatRecordedTime(s.signedAt)}: “
            {s.meaning}” · {SERVER_SIGNER_CONFIRMED} (entry {s.projectSeq} of the project’s log)
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Blank rows of the signature block when no approver is on the roster. */
const BLANK_SIGNERS = 3;

/**
 * The signature block a meeting signs on paper before the decision is recorded in Preflight: the
 * decision to tick, lines for the rationale, and a row per approver for name, role, date-time and
 * signature under the meaning each signature carries (the words the app shows when signing).
 */
function SignatureBlock({ pack }: { pack: EvidencePack }) {
  const named = pack.deciders ?? [];
  const rows: { name: string; title: string }[] =
    named.length > 0 ? named : Array.from({ length: BLANK_SIGNERS }, () => ({ name: '', title: '' }));
  return (
    <section className="pack-sign-block" aria-labelledby="pack-sign-title" data-testid="pack-sign-block">
      <h3 id="pack-sign-title">Decision of the steering committee</h3>
      <p className="pack-sign-choice">
        <span aria-hidden="true">☐</span> Go live <span aria-hidden="true">☐</span> Do not go live yet
      </p>
      <p className="pack-sign-rationale">Rationale (why, and what must change before deciding again):</p>
      <div className="pack-sign-lines" aria-hidden="true">
        <span />
        <span />
      </div>
      <p className="pack-sign-meaning">
        What a signature means. For go: “{STEERING_GO_MEANING}” For no-go: “{STEERING_NO_GO_MEANING}”
      </p>
      <TableScroll label="Signatures to write in">
        <table className="pack-sign-table">
          <caption>Signatures</caption>
          <thead>
            <tr>
              <th scope="col">Printed name</th>
              <th scope="col">Role</th>
              <th scope="col">Date and time (with zone)</th>
              <th scope="col">Signature</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              // blank rows have no name; a named approver is listed once
              // biome-ignore lint/suspicious/noArrayIndexKey: the rows never reorder
              <tr key={i}>
                <td>{r.name}</td>
                <td>{r.title}</td>
                <td />
                <td />
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <p className="pack-sign-note">
        A signature on paper is not checked by Preflight: record the decision on the Readiness screen
        (Steering decision), where it is bound to this readiness result and to each signer’s key.
      </p>
    </section>
  );
}

/** The phases as a table: for a pack made before the board (it carries no result with a board). */
function PhaseTable({ phases }: { phases: EvidencePack['phases'] }) {
  return (
    <TableScroll label="Status per phase">
      <table className="pack-phases">
        <caption>Status per phase</caption>
        <thead>
          <tr>
            <th scope="col">Phase</th>
            <th scope="col">Status</th>
            <th scope="col">Blocking</th>
            <th scope="col">Risks</th>
          </tr>
        </thead>
        <tbody>
          {phases.map((p) => (
            <tr key={p.id}>
              <th scope="row">{p.name}</th>
              <td>
                <span aria-hidden="true">{STATUS_LABELS[p.status].symbol} </span>
                {STATUS_LABELS[p.status].text}
              </td>
              <td>{p.reasons.filter((r) => r.blocks).length}</td>
              <td>{p.reasons.filter((r) => !r.blocks).length}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** The rollback triggers and who decides, then the cutover runbook as a step table. */
/**
 * Page 1's meeting record: who attended, the quorum by the clinic's rule (flagged when not met)
 * and the conditions the committee attaches to a GO, each with owner and due day.
 */
function MeetingRecord({ meeting }: { meeting: NonNullable<EvidencePack['meeting']> }) {
  const attendees = meeting.attendees ?? [];
  const conditions = meeting.conditions ?? [];
  return (
    <section className="pack-meeting" aria-label="Go/no-go meeting">
      <h3>Attendees and quorum</h3>
      {attendees.length === 0 ? (
        <p>No attendee recorded.</p>
      ) : (
        <ul aria-label="Attendees">
          {attendees.map((a) => (
            <li key={a.name}>
              {a.name}
              {a.role ? ` (${a.role})` : ''}
              {a.steering ? ', steering member' : ''} — {a.attended ? 'attended' : 'absent'}
            </li>
          ))}
        </ul>
      )}
      {meeting.quorum && (
        <p
          className={`pack-quorum${meeting.quorum.state === 'not-met' ? ' pack-flag' : ''}`}
          data-testid="pack-quorum"
        >
          {meeting.quorum.words}
        </p>
      )}
      <h3>Conditions for go</h3>
      {conditions.length === 0 ? (
        <p>No condition recorded.</p>
      ) : (
        <TableScroll label="Conditions for go">
          <table className="pack-conditions">
            <caption>Conditions for go</caption>
            <thead>
              <tr>
                <th scope="col">Condition</th>
                <th scope="col">Owner</th>
                <th scope="col">Due</th>
              </tr>
            </thead>
            <tbody>
              {conditions.map((c) => (
                <tr key={c.text}>
                  <td>{c.text}</td>
                  <td>{c.owner ?? '— no owner'}</td>
                  <td>{c.due ?? '— no day'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}

function CutoverAndRollback({ meeting }: { meeting: NonNullable<EvidencePack['meeting']> }) {
  return (
    <section className="pack-phase" aria-labelledby="pack-cutover" data-testid="pack-cutover">
      <h3 id="pack-cutover">Cutover and rollback</h3>
      <p data-testid="pack-rollback-triggers">
        <strong>Rollback triggers: </strong>
        {meeting.rollbackTriggers ?? 'none recorded.'}
        {meeting.rollbackDecidedBy ? ` Who decides to roll back: ${meeting.rollbackDecidedBy}.` : ''}
      </p>
      {meeting.runbook.length === 0 ? (
        <p>Cutover runbook: not recorded.</p>
      ) : (
        <TableScroll label="Cutover runbook">
          <table className="pack-artefacts pack-runbook">
            <caption>Cutover runbook, step by step</caption>
            <thead>
              <tr>
                <th scope="col">Step</th>
                <th scope="col">Owner</th>
                <th scope="col">Start</th>
                <th scope="col">Duration</th>
                <th scope="col">After</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {meeting.runbook.map((r) => (
                <tr key={r.id}>
                  <th scope="row">{r.title}</th>
                  <td>{r.owner ?? 'no owner'}</td>
                  <td>{r.start?.replace('T', ' ') ?? 'no time'}</td>
                  <td>{durationWords(r.durationMin)}</td>
                  <td>{r.after.length > 0 ? r.after.join('; ') : '—'}</td>
                  <td>{STEP_STATUS_WORDS[r.status]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}

export function EvidencePackView({
  pack,
  shared = false,
}: {
  pack: EvidencePack;
  /**
   * the project is shared with a team server: its committee signs there, so a decision recorded
   * in a browser is named as typed names, not as the committee's signatures
   */
  shared?: boolean;
}) {
  const latest = pack.steering.latest;
  const fileName = `${pack.project.name.replace(/[^\p{L}\p{N}]+/gu, '-')}-evidence-pack.json`;
  return (
    <article className="evidence-pack" aria-labelledby="pack-title">
      <div className="pack-actions no-print">
        <button type="button" onClick={() => window.print()}>
          Print the evidence pack
        </button>
        <button type="button" onClick={() => downloadText(fileName, `${JSON.stringify(pack, null, 2)}\n`)}>
          Download the evidence pack (JSON)
        </button>
      </div>
      <section className="pack-summary" aria-labelledby="pack-title">
        <h2 id="pack-title" tabIndex={-1}>
          Go-live evidence pack: {pack.project.name}
        </h2>
        <p className="pack-meta">
          Made {formatRecordedTime(pack.generatedAt)} · readiness result <code>{pack.resultSha256}</code>
        </p>
        <p className={`pack-decision pack-${pack.decision}`}>
          <strong>Preflight computes: {pack.decision === 'go' ? 'Go' : 'No-go'}</strong> · gates in effect:{' '}
          {pack.gates.join('; ')}.
        </p>
        {pack.meeting && (
          <p
            className={`pack-go-live-day${pack.meeting.goLiveDay.state === 'past' || pack.meeting.goLiveDay.state === 'too-close' ? ' pack-flag' : ''}`}
            data-testid="pack-go-live-day"
          >
            {pack.meeting.goLiveDay.words}
          </p>
        )}
        <p className="pack-steering" data-testid="pack-steering">
          <strong>Steering committee: </strong>
          {latest && shared ? 'recorded in a browser with typed names, not signed on the team server: ' : ''}
          {latest
            ? `${latest.decision === 'go' ? 'Go' : 'No-go'}, decided ${formatRecordedTime(latest.recordedAt)}, signed by ${latest.signers.map((s) => `${s.name} (${s.role})`).join(', ')} — ${
                latest.state === 'current'
                  ? 'current: taken on this readiness result.'
                  : `STALE: the evidence changed after it was taken (it bound ${latest.resultSha256.slice(0, 12)}…). The committee must decide again.`
              }`
            : 'no decision recorded.'}
        </p>
        {latest && pack.steeringDecision && <DecisionSignatures decision={pack.steeringDecision} />}
        {pack.serverSteeringDecision && <ServerDecisionSignatures decision={pack.serverSteeringDecision} />}
        <p className="pack-chain" data-testid="pack-chain">
          {pack.auditChain ? auditChainWords(pack.auditChain) : 'Audit log: not read for this pack.'}
        </p>
        <h3>Status per phase</h3>
        {pack.result?.board ? (
          <ReadinessBoard
            board={pack.result.board}
            gates={pack.result.gates}
            headingLevel={4}
            {...(pack.pathToGo ? { path: pack.pathToGo } : {})}
            {...(pack.meeting?.quorum ? { quorum: pack.meeting.quorum } : {})}
          />
        ) : (
          <PhaseTable phases={pack.phases} />
        )}
        <p className="pack-deciders" data-testid="pack-deciders">
          {decidersLine(pack.deciders)}
        </p>
        {pack.meeting?.quorum && <MeetingRecord meeting={pack.meeting} />}
        <h3>Why no-go</h3>
        <Reasons items={pack.reasons} label="Blocking reasons" withPath={pack.pathToGo !== undefined} />
        <h3>Outstanding risks</h3>
        <Reasons items={pack.risks} label="Outstanding risks" withPath={pack.pathToGo !== undefined} />
        {latest?.state !== 'current' && <SignatureBlock pack={pack} />}
      </section>
      <section className="pack-evidence" aria-labelledby="pack-evidence-title">
        <h2 id="pack-evidence-title">Evidence per phase</h2>
        {pack.phases.map((p) => (
          <section key={p.id} className="pack-phase" aria-labelledby={`pack-${p.id}`}>
            <h3 id={`pack-${p.id}`}>
              {p.name}: {STATUS_LABELS[p.status].text}
            </h3>
            <ul>
              {p.evidence.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
            {p.artefacts.length > 0 && (
              <TableScroll label={`Artefacts judged (${p.name})`}>
                <table className="pack-artefacts">
                  <caption>Artefacts judged ({p.name})</caption>
                  <thead>
                    <tr>
                      <th scope="col">Kind</th>
                      <th scope="col">Artefact</th>
                      <th scope="col">SHA-256</th>
                    </tr>
                  </thead>
                  <tbody>
                    {p.artefacts.map((a) => (
                      <tr key={a.kind + a.id}>
                        <td className="kind">{KIND_WORDS[a.kind]}</td>
                        <td>
                          {a.name}
                          {a.detail ? ` (${a.detail})` : ''}
                        </td>
                        <td className="hash">
                          <code>{a.sha256}</code>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableScroll>
            )}
          </section>
        ))}
        {pack.meeting && <CutoverAndRollback meeting={pack.meeting} />}
        <section className="pack-phase" aria-labelledby="pack-safety">
          <h3 id="pack-safety">Safety self-assessment</h3>
          {pack.result?.safetyGuides && (
            <ul aria-label="SAFER guides" className="pack-guides">
              {pack.result.safetyGuides.map((g) => (
                <li key={g.id}>
                  <strong>{g.title}:</strong> {SAFER_GUIDE_STATE_WORDS[g.state]} ({saferGuideCounts(g)}; gate:{' '}
                  {safetyGateWords(g.gate)}).
                </li>
              ))}
            </ul>
          )}
          <TableScroll label="Safety self-assessment items">
            <table className="pack-artefacts pack-safety">
              <caption>Practices, by the SAFER guides of 2025 on their five-point scale</caption>
              <thead>
                <tr>
                  <th scope="col">Practice</th>
                  <th scope="col">Status</th>
                  <th scope="col">Evidence grade</th>
                  <th scope="col">Owner</th>
                  <th scope="col">Evidence and note</th>
                </tr>
              </thead>
              <tbody>
                {pack.safety.map((i, index) => (
                  <tr key={i.id}>
                    <th scope="row">
                      {i.guide && i.guide !== pack.safety[index - 1]?.guide && (
                        <span className="pack-guide">{i.guide}</span>
                      )}
                      {i.title}
                    </th>
                    <td>
                      {i.level ?? i.status}
                      {i.overridden ? ` (set by ${i.by} against the evidence: ${i.reason})` : ''}
                    </td>
                    <td>{i.grade ?? 'not graded'}</td>
                    <td>{i.owner ?? 'not named'}</td>
                    <td>
                      {[
                        ...(i.evidenceKept ? [`Kept at: ${i.evidenceKept}.`] : []),
                        ...i.evidence,
                        ...(i.note ? [`Note: ${i.note}`] : []),
                      ].join(' ') || '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </section>
      </section>
    </article>
  );
}
