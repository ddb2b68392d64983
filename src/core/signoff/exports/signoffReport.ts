/**
 * Exports of a sign-off besides its JSON: the printable report (a standalone HTML page with print
 * CSS, for PDF) and a CSV of the decisions for spreadsheets.
 *
 * Constraints:
 * - The HTML escapes every value and loads nothing (no script, no external style or font): it is
 *   opened from disk, outside the app's CSP, and printed.
 * - The CSV neutralises formula injection with the validation report's helper
 *   (`neutraliseCsvCell`): a comment typed as `=HYPERLINK(…)` stays text in a spreadsheet.
 * - Neither holds record content beyond record keys and row numbers (no field value): the
 *   reviewer's comment is in the CSV, as the reviewer wrote it, and in the report only when the
 *   user chooses to include comments (a comment may quote a patient's details).
 * - The report says plainly that it gives tamper evidence, not regulatory compliance on its own.
 */
import type { ChainEntry } from '../../../formats/auditLog.ts';
import type {
  Review,
  SampleResult,
  ServerReviewSignature,
  ServerSigning,
  Signature,
} from '../../../formats/review.ts';
import type { Roster } from '../../../formats/roster.ts';
import type { SamplePlan } from '../../../formats/samplePlan.ts';
import {
  type ReportVerdict,
  SIGNOFF_REPORT_FORMAT,
  type SignoffReportFile,
} from '../../../formats/signoffReport.ts';
import { escapeHtml, neutraliseCsvCell } from '../../validation/index.ts';
import { formatAgreement, reviewerAgreement } from '../review/agreement.ts';
import { recordCounts } from '../review/dualReview.ts';
import { riskLines } from '../sampling/riskStrata.ts';
import { formatPercent } from '../sampling/statistics.ts';
import {
  awaitingAtWorstText,
  awaitingOnePassText,
  awaitingPassesText,
  ONE_PASS_RULE,
  type OverallVerdict,
  type StratumVerdict,
} from '../sampling/verdict.ts';
import { GENESIS_HASH } from '../signing/auditChain.ts';
import { replacedByStanding } from '../signing/currentSignatures.ts';
import { keyStanding, type RosterState, rosterInUse, rosterState } from '../signing/roster.ts';
import { SERVER_SIGNER_CONFIRMED } from '../signing/serverChain.ts';
import {
  type ServerReviewSignatureVerification,
  serverCoverageText,
  serverSignatureCoverage,
  signsResult,
} from '../signing/serverSignatures.ts';
import { resultsHash, type SignatureVerification } from '../signing/signature.ts';
import {
  coverageText,
  reviewSignatureCoverage,
  type SignatureCoverage,
} from '../signing/signatureCoverage.ts';
import { reviewVerdict, type SigningStanding, signingStanding } from '../signing/signingMeaning.ts';
import { publicKeyFingerprint } from '../signing/webauthn.ts';
import {
  type DetailDecision,
  type DetailRecord,
  decisionChanges,
  reportDetail,
  reportTrail,
  type TrailRow,
} from './reportDetail.ts';

/** The sentence every sign-off export carries about what it proves. */
export const TAMPER_EVIDENCE_NOTE =
  'This sign-off gives tamper evidence: a change to the plan, a decision, the audit log or a signature after signing is detected by “npx preflight signoff verify”. It is not, on its own, regulatory compliance (for example with 21 CFR Part 11 or EU Annex 11): that also needs your organisation’s procedures, identity checks, training and record retention.';

/**
 * What a signature says about who signed, in the app and the report alike: what the roster and a
 * bound key prove, and what they do not.
 */
export const IDENTITY_NOTE =
  'Who signed: each signer is on the project roster the data lead keeps, and signed with the WebAuthn key (security key, fingerprint or device PIN) that the lead bound to them with the lead’s own key. This proves the lead’s attestation of who holds which key, recorded in the audit log. It does not prove identity from an identity provider (such as the clinic’s single sign-on or an ID check by a server): that is outside Preflight.';

/** The same, for a sign-off without a roster: a typed name is all there is. */
export const NO_ROSTER_NOTE =
  'Who signed: this project has no roster, so a signer is whoever typed that name and staff id; a WebAuthn key shows only that the same device signed each time. Keep a roster (Sign-off workspace) so the data lead binds each person’s key.';

export { reviewVerdict } from '../signing/signingMeaning.ts';

/** The verdict in one sentence, as the report and the sign panel say it. */
export function standingText(standing: SigningStanding): string {
  if (standing.approval) return 'Every stratum passes: the sample supports going live.';
  if (standing.reason === 'fails')
    return 'At least one stratum fails: the sample does not support going live yet.';
  const n = standing.awaitingAdjudication;
  const one = standing.awaitingFirstReview + standing.awaitingSecondReview;
  const parts: string[] = [];
  if (n > 0)
    parts.push(
      `${n.toLocaleString('en-US')} ${n === 1 ? 'record awaits' : 'records await'} an adjudicator (the two reviewers disagree, or “cannot assess”): the sample does not support going live until ${n === 1 ? 'it is' : 'they are'} decided.`,
    );
  if (one > 0)
    parts.push(
      `${awaitingOnePassText(standing, n > 0)}: the sample does not support going live until both reviewers have decided ${one === 1 ? 'it' : 'them'}.`,
    );
  return parts.join(' ');
}

/**
 * The warning above the signatures when decisions were logged after the latest one: the signed
 * results no longer cover every decision, so the verdict below may differ from what was signed.
 * Only the latest signature speaks for the review: older ones are replaced by it, and once someone
 * signs again over every decision there is nothing to warn of (an older signature must not keep
 * the report saying "sign again" after it was done).
 */
export function staleSignaturesText(signatures: number): string {
  const subject = signatures === 1 ? 'The signature does not cover' : 'The latest signature does not cover';
  return `${subject} every decision: review decisions were logged after signing. The verdict and counts below are the results now, not the ones signed; sign again to cover them.`;
}

/** A signature as the report places it: its position in the review, and what replaced it. */
interface PlacedSignature {
  signature: Signature;
  /** its index in the review's signatures (and in the verifications and coverage) */
  index: number;
  /** the later signature that replaced it; absent for the current one */
  supersededBy?: Signature;
}

/**
 * The order the report prints signatures in: the current ones (currentSignatures.ts: over the
 * results as they are now, the latest of each signer — such as a reviewer's and the approver's)
 * newest first, then the superseded ones from newest to oldest, each with the signature that
 * replaced it: its signer's later one, else the one after it. The latest signature leads even when
 * decisions came after it (the page says so above the signatures). A superseded signature, whatever
 * its meaning, never leads the page.
 */
export function signaturesInReportOrder(review: Review): PlacedSignature[] {
  const replaced = replacedByStanding(review);
  const placed: PlacedSignature[] = (review.signatures ?? []).map((signature, index) => {
    const supersededBy = replaced[index];
    return supersededBy ? { signature, index, supersededBy } : { signature, index };
  });
  return [
    ...placed.filter((p) => !p.supersededBy).reverse(),
    ...placed.filter((p) => p.supersededBy).reverse(),
  ];
}

/** What the report shows; `verifications` are the caller's check of each signature (async). */
interface SignoffReportInput {
  projectName: string;
  plan: SamplePlan;
  review: Review;
  /** the project's audit chain */
  entries: readonly ChainEntry[];
  /** RFC 3339 with zone */
  generatedAt: string;
  verifications?: readonly SignatureVerification[];
  /** the caller's check of each of the review's server signatures (`serverSignatures`), in order */
  serverVerifications?: readonly ServerReviewSignatureVerification[];
  /** Preflight's version */
  toolVersion?: string;
  /**
   * the migration problems accepted by waivers in force, in words (`describeWaivers` of the
   * validation module): listed so the sign-off says what was knowingly let through
   */
  acceptedIssues?: readonly string[];
  /** the project's roster: whose key each signature was made with */
  roster?: Roster;
  /** print the reviewers' and adjudicators' comments (they may quote a patient's details); default no */
  includeComments?: boolean;
}

const PRINT_STYLE = [
  '@page{size:A4;margin:16mm 14mm}',
  'body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1b2430;margin:2rem auto;max-width:60rem;line-height:1.45;font-size:11pt}',
  'h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem;border-bottom:1px solid #c9d1dc;padding-bottom:.2rem}',
  'table{border-collapse:collapse;margin:0 0 1rem;width:100%}',
  'caption{text-align:left;font-weight:600;padding:.25rem 0}',
  'th,td{border:1px solid #c9d1dc;padding:.25rem .45rem;text-align:left;vertical-align:top}',
  'th{background:#eef2f6}',
  'td.num{text-align:right;font-variant-numeric:tabular-nums}',
  'table{font-size:.92em}',
  '.hash{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:9pt;word-break:break-all}',
  '.pass{color:#155d2b;font-weight:600}.fail{color:#9b1c1c;font-weight:600}',
  '.signature{border:2px solid #1b2430;padding:.75rem 1rem;margin:0 0 1rem;break-inside:avoid}',
  '.signature .meaning{font-size:1.05rem;font-style:italic;margin:.25rem 0 .75rem}',
  '.superseded{border-style:dashed;border-color:#6b7785;color:#4a5563}.superseded .meaning{text-decoration:line-through}',
  '.superseded-by{font-weight:600;margin:0 0 .25rem}',
  // a long hash in a command wraps rather than running off a phone's screen
  'code{overflow-wrap:anywhere}',
  '.note{border-left:4px solid #8a6d00;background:#fff8e1;padding:.5rem .75rem;break-inside:avoid}',
  'dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}dt{font-weight:600}dd{margin:0}',
  // on a phone the record tables become one card per row, each cell named by its column
  '@media screen and (max-width:48rem){table[data-detail],table[data-detail] tbody,table[data-detail] tr,table[data-detail] td,table[data-detail] caption{display:block}table[data-detail] thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}table[data-detail] tr{border:1px solid #c9d1dc;margin:0 0 .5rem}table[data-detail] td{border:0;border-top:1px solid #eef2f6}table[data-detail] td::before,table[data-detail] tbody th::before{content:attr(data-label) ": ";font-weight:600}table[data-detail] tbody th{display:block;border:0;background:#eef2f6}table[data-detail] td.num{text-align:left}}',
  '@media print{body{margin:0;max-width:none;font-size:10pt}table{font-size:8.5pt}th,td{padding:.2rem .3rem}h2{break-after:avoid}tr,.signature,.note{break-inside:avoid}thead{display:table-header-group}}',
].join('');

function rows(values: readonly (readonly string[])[]): string {
  return values.map((r) => `<tr>${r.join('')}</tr>`).join('');
}

const td = (text: string | number, cls?: string) =>
  `<td${cls ? ` class="${cls}"` : ''}>${escapeHtml(String(text))}</td>`;
/** A cell that names its column, for the phone layout of the record tables (see PRINT_STYLE). */
const cell = (label: string, text: string, cls?: string) =>
  `<td data-label="${escapeHtml(label)}"${cls ? ` class="${cls}"` : ''}>${escapeHtml(text)}</td>`;
const th = (text: string) => `<th scope="row">${escapeHtml(text)}</th>`;
const hash = (h: string) => `<span class="hash">${escapeHtml(h)}</span>`;

function dl(pairs: readonly [string, string][]): string {
  return `<dl>${pairs.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${v}</dd>`).join('')}</dl>`;
}

const VERDICT_COLUMNS = [
  'Stratum',
  'Records',
  'Reviewed',
  'Errors',
  'Critical',
  'Observed rate',
  'Clopper–Pearson bound',
  'Exact bound (finite stratum)',
  'Target',
  'Result',
] as const;

/** The reasons the evidence gave the plan's strata and its size rule, when it has any. */
function riskSection(plan: SamplePlan): string[] {
  const lines = riskLines(plan);
  if (lines.length === 0) return [];
  return [
    '<h3>Strata from the evidence</h3>',
    `<ul>${lines.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul>`,
  ];
}

function stratumRow(s: StratumVerdict, sampled: number): string[] {
  // records awaiting adjudication are in every figure at their worst: each cell says how many
  const rate = s.major.observedRate === null ? '—' : formatPercent(s.major.observedRate);
  const observed =
    s.major.awaitingErrors > 0 && s.major.observedRateIfCleared !== null
      ? `${rate} at worst (${formatPercent(s.major.observedRateIfCleared)} if adjudicated as correct)`
      : rate;
  const [stratum, ...columns] = VERDICT_COLUMNS;
  const cells: [string, string?][] = [
    [String(s.population ?? '—'), 'num'],
    [
      s.awaitingFirstReview + s.awaitingSecondReview > 0
        ? `${s.reviewed} of ${sampled} (${awaitingPassesText(s)})`
        : `${s.reviewed} of ${sampled}`,
      'num',
    ],
    [
      s.major.awaitingErrors > 0
        ? `${s.major.errors} (${s.major.awaitingErrors} not yet adjudicated, at worst)`
        : String(s.major.errors),
      'num',
    ],
    [
      s.awaitingCritical > 0
        ? `${s.critical} (${s.awaitingCritical} not yet adjudicated)`
        : String(s.critical),
      'num',
    ],
    [observed, 'num'],
    [formatPercent(s.major.clopperPearsonUpper), 'num'],
    [s.major.boundMethod === 'hypergeometric' ? formatPercent(s.major.upperBound) : '—', 'num'],
    [formatPercent(s.major.target), 'num'],
    [s.pass ? 'Passes' : 'Fails', s.pass ? 'pass' : 'fail'],
  ];
  return [
    `<th scope="row" data-label="${escapeHtml(stratum)}">${escapeHtml(s.stratumId)}</th>`,
    ...cells.map(([text, cls], i) => cell(columns[i] ?? '', text, cls)),
  ];
}

function signatureBlock(
  signature: Signature,
  verification: SignatureVerification | undefined,
  coverage: SignatureCoverage | undefined,
  roster: RosterState | undefined,
  supersededBy?: Signature,
): string {
  const reauth = signature.reauthentication;
  const standing =
    roster && reauth.method === 'webauthn'
      ? keyStanding(roster, signature.signer.id, reauth.credentialId)
      : undefined;
  const bound =
    standing === undefined
      ? ''
      : standing.kind === 'bound'
        ? '; the key the data lead bound to this signer on the roster'
        : '; <span class="fail">not a key the data lead bound to this signer</span>';
  const how =
    reauth.method === 'webauthn' && reauth.server
      ? `${serverSigningText(reauth.server)} (credential ${hash(reauth.credentialId)}, public key SHA-256 ${hash(publicKeyFingerprint(reauth.publicKeyJwk))})`
      : reauth.method === 'webauthn'
        ? `WebAuthn: the signer re-authenticated on this device (credential ${hash(reauth.credentialId)}, public key SHA-256 ${hash(publicKeyFingerprint(reauth.publicKeyJwk))})${bound}`
        : `None: ${escapeHtml(reauth.reason)}`;
  const checked = verification
    ? verification.ok
      ? `<span class="pass">Verified</span>${verification.webauthn ? ` (origin ${escapeHtml(verification.webauthn.origin)}, user ${verification.webauthn.userVerified ? 'verified' : 'present'})` : ''}`
      : `<span class="fail">Does not verify</span>: ${escapeHtml(verification.message)}`
    : 'Not checked';
  const superseded = supersededBy
    ? `<p class="superseded-by">Superseded by the signature of ${escapeHtml(supersededBy.signer.name)} (staff id ${escapeHtml(supersededBy.signer.id)}) signed ${escapeHtml(supersededBy.signedAt)}: it no longer speaks for this review.</p>`
    : '';
  return `<div class="signature${supersededBy ? ' superseded' : ''}" data-signature="${supersededBy ? 'superseded' : 'current'}">${superseded}<p class="meaning">“${escapeHtml(signature.meaning)}”</p>${dl(
    [
      ['Printed name', escapeHtml(signature.signer.name)],
      ['Role', escapeHtml(signature.signer.role)],
      ['Staff id', escapeHtml(signature.signer.id)],
      ['Signed', escapeHtml(signature.signedAt)],
      ['Re-authentication', how],
      ['Check at export', checked],
      ['Sign-off hash', hash(signature.signoffSha256)],
      ['Plan hash', hash(signature.planHash)],
      ['Results hash', hash(signature.resultsSha256)],
      ...(coverage
        ? ([
            ['Results hash now', hash(coverage.currentResultsSha256)],
            [
              'Covers the results now',
              // an older signature is replaced, not failing: only the latest is marked as not covering
              `<span class="${coverage.coversCurrentResults ? 'pass' : coverage.replacedBy ? 'replaced' : 'fail'}">${escapeHtml(coverageText(coverage))}</span>`,
            ],
          ] as [string, string][])
        : []),
      ['Audit-chain head', `${hash(signature.chainHead)} (after ${signature.chainLength} entries)`],
    ],
  )}</div>`;
}

/** How a signature made on the team server was made, and where its record is. */
function serverSigningText(server: ServerSigning): string {
  return `On the team server: ${escapeHtml(SERVER_SIGNER_CONFIRMED)}; entry ${server.projectSeq} of team project ${escapeHtml(server.project)}'s log, entry hash ${hash(server.entryHash)}`;
}

/** What the result an approval or confirmation signed said, in the words of the report. */
function signedResultText(result: SampleResult): string {
  const { total } = result;
  return `${result.pass ? 'Passes' : 'Does not pass'} the plan’s targets: ${total.accepted} accepted, ${total.rejected} rejected of ${total.drawn} records drawn${total.undecided > 0 ? `, ${total.undecided} undecided` : ''}${total.awaitingAdjudication > 0 ? `, ${total.awaitingAdjudication} awaiting adjudication` : ''}`;
}

/**
 * A signature made on the team server, with its manifestation: a reviewer's or adjudicator's over
 * her decisions, or a data lead's approval or confirmation of the sample's result.
 */
function serverSignatureBlock(
  review: Review,
  signature: ServerReviewSignature,
  verification: ServerReviewSignatureVerification | undefined,
): string {
  const coverage = serverSignatureCoverage(review, signature);
  const result = signsResult(signature);
  const checked = verification
    ? verification.ok
      ? result
        ? '<span class="pass">Verified</span> (the result she signed is this review’s over its decisions, and the WebAuthn assertion)'
        : '<span class="pass">Verified</span> (her decisions as this review holds them, and the WebAuthn assertion)'
      : `<span class="fail">Does not verify</span>: ${escapeHtml(verification.message)}`
    : 'Not checked';
  return `<div class="signature" data-signature="server" data-kind="${escapeHtml(signature.kind)}"><p class="meaning">“${escapeHtml(signature.meaning)}”</p>${dl(
    [
      ['Printed name', escapeHtml(signature.signer.name)],
      ['Role', escapeHtml(signature.signer.role)],
      ['Member id', escapeHtml(signature.signer.id)],
      ['Signed', escapeHtml(signature.signedAt)],
      ['Meaning', escapeHtml(signature.meaning)],
      [
        'What it signs',
        coverage
          ? escapeHtml(
              serverCoverageText(
                signsResult(signature) || signature.scope === undefined
                  ? coverage
                  : { ...coverage, scope: signature.scope },
                signature.kind,
              ),
            )
          : result
            ? '<span class="fail">Not this review’s result as it holds its decisions</span>'
            : '<span class="fail">Not over her decisions as this review holds them</span>',
      ],
      ...(result
        ? [['The result she signed', escapeHtml(signedResultText(signature.result))] as [string, string]]
        : []),
      ['Re-authentication', serverSigningText(signature.reauthentication.server)],
      ['Check at export', checked],
      result
        ? ['Result fingerprint', hash(signature.resultSha256)]
        : ['Decisions hash', hash(signature.decisionsSha256)],
    ],
  )}</div>`;
}

const OUTCOME_WORDS: Record<DetailDecision['outcome'], string> = {
  accept: 'Accepted',
  reject: 'Rejected',
  'cannot-assess': 'Cannot assess',
};
const STAGE_WORDS: Record<DetailDecision['stage'], string> = {
  first: 'First review',
  second: 'Second review',
  adjudication: 'Adjudication',
};
const STATE_WORDS: Record<DetailRecord['state'], string> = {
  open: 'Waiting for the second reviewer',
  final: 'Decided',
  'awaiting-adjudication': 'Awaiting an adjudicator',
};
const REASON_WORDS: Record<string, string> = {
  'wrong-value': 'wrong value',
  missing: 'missing',
  'wrong-patient': 'wrong patient',
  units: 'units',
  'code-terminology': 'code or terminology',
  other: 'other',
};

/** A record as the report names it: key and, when known, its data row. */
const recordText = (r: { recordKey: string; row?: number }) =>
  r.row === undefined ? r.recordKey : `${r.recordKey} (row ${r.row})`;

const whoText = (d: DetailDecision) => `${d.reviewer.name}, ${d.reviewer.role} (staff id ${d.reviewer.id})`;

function findingsText(d: DetailDecision): string {
  if (d.findings.length === 0) return 'None marked';
  return d.findings
    .map((f) => `${f.field}: ${REASON_WORDS[f.reason] ?? f.reason}, ${f.defectClass}`)
    .join('; ');
}

function commentText(d: DetailDecision): string {
  if (d.comment !== undefined) return d.comment;
  return d.commented ? 'Written; not printed (comments may quote patient details)' : 'None';
}

/** A decision in one line, for the adjudication table. */
function decisionLine(d: DetailDecision | undefined): string {
  if (!d) return '—';
  return `${OUTCOME_WORDS[d.outcome]} by ${d.reviewer.name} (${d.reviewer.id}) at ${d.decidedAt}; ${findingsText(d)}`;
}

const colHeads = (names: readonly string[]) =>
  `<thead><tr>${names.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>`;

/** The report's record-by-record sections (reportDetail.ts): rejected or critical, cannot assess, adjudications. */
function detailSections(review: Review, includeComments: boolean): string[] {
  const detail = reportDetail(review, { includeComments });
  const decisionColumns = [
    'Stratum',
    'Record key',
    'Decision',
    'Reviewer',
    'Decided',
    'Outcome',
    'Fields marked wrong (reason, class)',
    'Comment',
    'Record now',
  ] as const;
  const labelled = (columns: readonly string[], cells: readonly [string, string?][]) =>
    cells.map(([text, cls], i) => cell(columns[i] ?? '', text, cls));
  const decisionRows = (records: readonly DetailRecord[]) =>
    rows(
      records.flatMap((r) =>
        r.decisions.map((d) =>
          labelled(decisionColumns, [
            [r.stratum],
            [recordText(r)],
            [STAGE_WORDS[d.stage]],
            [whoText(d)],
            [d.decidedAt],
            [OUTCOME_WORDS[d.outcome], d.outcome === 'reject' ? 'fail' : undefined],
            [findingsText(d)],
            [commentText(d)],
            [STATE_WORDS[r.state]],
          ]),
        ),
      ),
    );
  const decisionHeads = colHeads(decisionColumns);
  const adjudicationColumns = [
    'Stratum',
    'Record key',
    'First decision',
    'Second decision',
    'Adjudicator',
    'Decided',
    'Ruling',
    'Reason',
  ] as const;
  const privacy = includeComments
    ? 'Comments are printed as the reviewers wrote them.'
    : 'No record values and no comments are printed: comments may quote patient details.';
  return [
    '<h2 id="rejected-and-critical">Rejected and critical records</h2>',
    `<p>Every record a reviewer or adjudicator rejected or marked with a critical defect, with each current decision on it. ${escapeHtml(privacy)}</p>`,
    detail.rejectedOrCritical.length
      ? `<table data-detail="rejected-or-critical"><caption>${detail.rejectedOrCritical.length} ${detail.rejectedOrCritical.length === 1 ? 'record' : 'records'} rejected or with a critical defect</caption>${decisionHeads}<tbody>${decisionRows(detail.rejectedOrCritical)}</tbody></table>`
      : '<p>No record was rejected or marked with a critical defect.</p>',
    '<h2 id="cannot-assess">Records that could not be assessed</h2>',
    detail.cannotAssess.length
      ? `<table data-detail="cannot-assess"><caption>${detail.cannotAssess.length} ${detail.cannotAssess.length === 1 ? 'record' : 'records'} marked “cannot assess” (counted as errors until adjudicated)</caption>${decisionHeads}<tbody>${decisionRows(detail.cannotAssess)}</tbody></table>`
      : '<p>No record was marked “cannot assess”.</p>',
    '<h2 id="adjudications">Adjudications</h2>',
    detail.adjudications.length
      ? `<table data-detail="adjudications"><caption>${detail.adjudications.length} ${detail.adjudications.length === 1 ? 'adjudication' : 'adjudications'}</caption>${colHeads(adjudicationColumns)}<tbody>${rows(
          detail.adjudications.map((a) =>
            labelled(adjudicationColumns, [
              [a.stratum],
              [recordText(a)],
              [decisionLine(a.first)],
              [decisionLine(a.second)],
              [whoText(a.adjudication)],
              [a.adjudication.decidedAt],
              [`${OUTCOME_WORDS[a.adjudication.outcome]}; ${findingsText(a.adjudication)}`],
              [commentText(a.adjudication)],
            ]),
          ),
        )}</tbody></table>`
      : '<p>No record has been adjudicated.</p>',
  ];
}

/** The changed decisions: old and new decision, who, when and why (decisionChanges). */
function changeSection(review: Review, includeComments: boolean): string[] {
  const changes = decisionChanges(review, { includeComments });
  const columns = [
    'Stratum',
    'Record key',
    'Decision',
    'Before',
    'After',
    'Changed by',
    'Changed',
    'Reason',
  ] as const;
  const before = (c: (typeof changes)[number]) =>
    c.previous
      ? `${OUTCOME_WORDS[c.previous.outcome]} by ${c.previous.reviewer.name} (${c.previous.reviewer.id}) at ${c.previous.decidedAt}; ${findingsText(c.previous)}`
      : OUTCOME_WORDS[c.previousOutcome];
  const reason = (c: (typeof changes)[number]) =>
    c.reason ?? (c.reasonGiven ? 'Given; not printed (reasons may quote patient details)' : 'None given');
  return [
    '<h2 id="changed-decisions">Changed decisions</h2>',
    changes.length
      ? `<table data-detail="changes"><caption>${changes.length} ${changes.length === 1 ? 'decision' : 'decisions'} changed (the earlier decision stays in the audit log)</caption>${colHeads(columns)}<tbody>${rows(
          changes.map((c) =>
            [
              [c.stratum],
              [recordText(c)],
              [STAGE_WORDS[c.decision.stage]],
              [before(c)],
              [`${OUTCOME_WORDS[c.decision.outcome]}; ${findingsText(c.decision)}`],
              [whoText(c.decision)],
              [c.decision.decidedAt],
              [reason(c)],
            ].map(([text], i) => cell(columns[i] ?? '', text ?? '')),
          ),
        )}</tbody></table>`
      : '<p>No decision was changed.</p>',
  ];
}

const TRAIL_WORDS: Record<TrailRow['event'], string> = {
  decision: 'Decision',
  signature: 'Signature',
  'plan-lock': 'Plan locked',
  'sample-draw': 'Sample drawn',
  roster: 'Roster change',
  'packet-export': 'Review packet exported',
  'packet-merge': 'Review results merged',
  'steering-signature': 'Go/no-go signature',
  'server-signature': 'Reviewer’s signature on the team server, kept in the review',
};

/** The audit trail as an appendix: each entry's type, time, actor and hash prefix, and the head. */
function trailAppendix(entries: readonly ChainEntry[]): string[] {
  const trail = reportTrail(entries);
  const columns = ['Entry', 'What', 'When', 'Staff id', 'Hash (start)'] as const;
  const head = entries[entries.length - 1]?.hash ?? GENESIS_HASH;
  return [
    '<h2 id="audit-trail">Appendix: audit trail</h2>',
    `<p data-trail-head>The audit log holds ${entries.length} ${entries.length === 1 ? 'entry' : 'entries'}; the last one's hash (the chain head) is ${hash(head)}. Each entry below names what happened, when and who, never a record's values; an entry removed after printing changes the head and the count.</p>`,
    trail.length
      ? `<table data-detail="trail"><caption>Audit log entries, oldest first</caption>${colHeads(columns)}<tbody>${rows(
          trail.map((t) => [
            cell(columns[0], String(t.seq), 'num'),
            cell(columns[1], TRAIL_WORDS[t.event]),
            cell(columns[2], t.at),
            cell(columns[3], t.actor ?? '—'),
            `<td data-label="${escapeHtml(columns[4])}">${hash(t.hashPrefix)}</td>`,
          ]),
        )}</tbody></table>`
      : '<p>The audit log is empty.</p>',
  ];
}

/** The printable sign-off report: a standalone HTML page (see the file header). */
export function signoffReportHtml(input: SignoffReportInput): string {
  const { plan, review } = input;
  const verdict = reviewVerdict(review, plan);
  const standing = signingStanding(review, plan);
  const sampled = new Map(recordCounts(review).strata.map((s) => [s.stratumId, s.drawn]));
  const counts = recordCounts(review).total;
  const head = input.entries[input.entries.length - 1];
  const roster = rosterInUse(input.roster) ? rosterState(input.roster) : undefined;
  const title = `Sign-off report: ${plan.name}`;
  const signatures = review.signatures ?? [];
  // decisions logged after a signature are not covered by it: said in each signature's block, and
  // above them when the latest (the one that speaks for the review) does not cover them
  // a co-signature over the same results replaces nothing (currentSignatures.ts)
  const coverage = reviewSignatureCoverage(review, input.entries);
  const latest = coverage[coverage.length - 1];
  const parts = [
    `<h1>${escapeHtml(title)}</h1>`,
    `<p>${escapeHtml(input.projectName)} · made ${escapeHtml(input.generatedAt)}${input.toolVersion ? ` with Preflight ${escapeHtml(input.toolVersion)}` : ''}</p>`,
    `<p class="note">${escapeHtml(TAMPER_EVIDENCE_NOTE)}</p>`,
    `<p class="note">${escapeHtml(roster ? IDENTITY_NOTE : NO_ROSTER_NOTE)}</p>`,
    `<p class="note" data-chain-head>Audit log at printing: ${input.entries.length} entries, head ${hash(head?.hash ?? '—')}. To find entries removed after this page was printed, run <code>npx preflight signoff verify &lt;exported sign-off&gt; --expect-head ${escapeHtml(head?.hash ?? '')}</code>.</p>`,
    '<h2>Signatures</h2>',
    latest && !latest.coversCurrentResults
      ? `<p class="note fail" data-coverage="stale">${escapeHtml(staleSignaturesText(signatures.length))}</p>`
      : '',
    signatures.length
      ? signaturesInReportOrder(review)
          .map(
            (p, k, all) =>
              (p.supersededBy && k > 0 && !all[k - 1]?.supersededBy ? '<h3>Superseded signatures</h3>' : '') +
              signatureBlock(
                p.signature,
                input.verifications?.[p.index],
                coverage[p.index],
                roster,
                p.supersededBy,
              ),
          )
          .join('')
      : '<p>Not signed yet.</p>',
    ...((review.serverSignatures ?? []).length > 0
      ? [
          '<h3>Signatures on the team server</h3>',
          ...(review.serverSignatures ?? []).map((s, i) =>
            serverSignatureBlock(review, s, input.serverVerifications?.[i]),
          ),
        ]
      : []),
    '<h2>Verdict</h2>',
    `<p class="${standing.approval ? 'pass' : 'fail'}">${escapeHtml(standingText(standing))}</p>`,
    `<table data-detail="verdict"><caption>Verdict per stratum (one-sided Clopper–Pearson upper bound at ${escapeHtml(formatPercent(plan.confidence))} confidence)</caption>${colHeads(VERDICT_COLUMNS)}<tbody>${rows(verdict.strata.map((s) => stratumRow(s, sampled.get(s.stratumId) ?? 0)))}</tbody></table>`,
    verdict.awaitingAdjudication > 0
      ? `<p class="note fail" data-awaiting-adjudication>${escapeHtml(awaitingAtWorstText(verdict))}</p>`
      : '',
    verdict.awaitingFirstReview + verdict.awaitingSecondReview > 0
      ? // the standing above says how many records await which pass; this says why they are left out
        `<p class="note fail" data-awaiting-other-review>${escapeHtml(ONE_PASS_RULE)}</p>`
      : '',
    `<p>Overall: ${verdict.reviewed} records reviewed, ${verdict.errors} with errors${verdict.awaitingErrors > 0 ? ` (${verdict.awaitingErrors} not yet adjudicated, at worst)` : ''}; population-weighted upper bound ${escapeHtml(formatPercent(verdict.upperBound))}. ${escapeHtml(verdict.note)}</p>`,
    review.dualReview
      ? `<p data-agreement>Agreement of the two reviewers on the outcome (Cohen’s kappa): ${escapeHtml(formatAgreement(reviewerAgreement(review)))}.</p>`
      : '',
    '<h2>Decisions</h2>',
    `<table><caption>Counts of decisions</caption><tbody>${rows([
      [th('Records reviewed'), td(counts.reviewed, 'num')],
      [th('Accepted'), td(counts.accepted, 'num')],
      [th('Rejected'), td(counts.rejected, 'num')],
      [th('Cannot assess (counted as errors)'), td(counts.cannotAssess, 'num')],
      ...(counts.awaitingAdjudication > 0
        ? [
            [
              th('Awaiting adjudication (counted at the worse decision)'),
              td(counts.awaitingAdjudication, 'num'),
            ],
          ]
        : []),
      ...(review.dualReview
        ? [
            [th('Decided by one of the two reviewers only (not yet reviewed)'), td(counts.partly, 'num')],
            [th('… of them awaiting the second reviewer'), td(counts.awaitingSecondReview, 'num')],
            [th('… of them awaiting the first reviewer'), td(counts.awaitingFirstReview, 'num')],
          ]
        : []),
      [
        th('Decisions recorded (a changed decision keeps the earlier one)'),
        td(review.decisions.length, 'num'),
      ],
      ...(coverage.length > 0
        ? [
            [
              th('Logged after the latest signature (not covered by it)'),
              td((coverage[coverage.length - 1] as SignatureCoverage).decisionsAfter.length, 'num'),
            ],
          ]
        : []),
    ])}</tbody></table>`,
    ...detailSections(review, input.includeComments === true),
    ...changeSection(review, input.includeComments === true),
    '<h2>Plan</h2>',
    dl([
      ['Plan', escapeHtml(`${plan.name} (${plan.id})`)],
      ['Data', escapeHtml(plan.population.dataset)],
      ['Strata by', escapeHtml(plan.population.stratifyBy)],
      ['Target error rate', escapeHtml(formatPercent(plan.targetErrorRate))],
      ['Confidence', escapeHtml(formatPercent(plan.confidence))],
      ['Acceptance number', escapeHtml(String(plan.acceptanceNumber))],
      ...(plan.minorTargetErrorRate === undefined
        ? []
        : [['Minor-defect rate', escapeHtml(formatPercent(plan.minorTargetErrorRate))] as [string, string]]),
      ['Seed', hash(plan.seed)],
      ['Locked', escapeHtml(plan.lock?.lockedAt ?? 'not locked')],
      ...(plan.lock?.datasets ?? []).map(
        (d) => [`File ${d.name}`, `${hash(d.sha256)} (${d.bytes} bytes)`] as [string, string],
      ),
    ]),
    ...riskSection(plan),
    ...(input.acceptedIssues && input.acceptedIssues.length > 0
      ? [
          '<h2>Accepted issues in the migration checks</h2>',
          `<ul>${input.acceptedIssues.map((text) => `<li>${escapeHtml(text)}</li>`).join('')}</ul>`,
        ]
      : []),
    '<h2>Hashes</h2>',
    dl([
      ['Plan hash', hash(review.plan.hash)],
      ['Results hash (now)', hash(resultsHash(review))],
      ['Audit log', `${input.entries.length} entries; head ${hash(head?.hash ?? '—')}`],
      ['Sample drawn', escapeHtml(review.sample.drawnAt)],
      ...review.sample.inputs.map((i) => [`Sampled file ${i.file}`, hash(i.sha256)] as [string, string]),
    ]),
    ...trailAppendix(input.entries),
  ];
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>${PRINT_STYLE}</style></head><body><main>${parts.join('\n')}</main></body></html>\n`;
}

/**
 * The report's record-by-record lists as JSON (`preflight.signoffreport/v1`), the same lists the
 * printable report shows, with the results hash and chain head it was made at.
 */
export function signoffReportFile(
  input: Pick<
    SignoffReportInput,
    'projectName' | 'plan' | 'review' | 'entries' | 'generatedAt' | 'includeComments'
  >,
): SignoffReportFile {
  const { plan, review } = input;
  const includesComments = input.includeComments === true;
  return {
    format: SIGNOFF_REPORT_FORMAT,
    project: input.projectName,
    plan: { id: plan.id, name: plan.name, hash: review.plan.hash },
    reviewId: review.id,
    generatedAt: input.generatedAt,
    resultsSha256: resultsHash(review),
    chain: {
      head: input.entries[input.entries.length - 1]?.hash ?? GENESIS_HASH,
      length: input.entries.length,
    },
    includesComments,
    ...reportDetail(review, { includeComments: includesComments }),
    changes: decisionChanges(review, { includeComments: includesComments }),
    verdict: reportVerdict(reviewVerdict(review, plan), plan.confidence),
  };
}

/** The verdict as `preflight.signoffreport/v1` carries it: counts, rates and bounds, no record. */
function reportVerdict(verdict: OverallVerdict, confidence: number): ReportVerdict {
  return {
    confidence,
    pass: verdict.pass,
    reviewed: verdict.reviewed,
    errors: verdict.errors,
    critical: verdict.critical,
    awaitingAdjudication: verdict.awaitingAdjudication,
    awaitingErrors: verdict.awaitingErrors,
    awaitingCritical: verdict.awaitingCritical,
    awaitingFirstReview: verdict.awaitingFirstReview,
    awaitingSecondReview: verdict.awaitingSecondReview,
    upperBound: verdict.upperBound,
    strata: verdict.strata.map((s) => ({
      stratumId: s.stratumId,
      // the overall verdict needs every stratum's N
      population: s.population ?? 0,
      reviewed: s.reviewed,
      errors: s.major.errors,
      critical: s.critical,
      awaitingAdjudication: s.awaitingAdjudication,
      awaitingErrors: s.major.awaitingErrors,
      awaitingCritical: s.awaitingCritical,
      awaitingFirstReview: s.awaitingFirstReview,
      awaitingSecondReview: s.awaitingSecondReview,
      observedRate: s.major.observedRate,
      observedRateIfCleared: s.major.observedRateIfCleared,
      upperBound: s.major.upperBound,
      target: s.major.target,
      pass: s.pass,
    })),
  };
}

/** Columns of the decisions CSV. */
export const DECISIONS_CSV_COLUMNS = [
  'decision',
  'stratum',
  'record_key',
  'row',
  'outcome',
  'findings',
  'comment',
  'reviewer',
  'role',
  'staff_id',
  'decided_at',
  'shown_sha256',
] as const;

function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  const text = typeof value === 'number' ? String(value) : neutraliseCsvCell(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Every decision as one CSV row (CRLF line ends, header row), formula-injection safe. */
export function decisionsCsv(review: Review): string {
  const lines = [DECISIONS_CSV_COLUMNS.join(',')];
  for (const d of review.decisions) {
    lines.push(
      [
        d.id,
        d.stratum,
        d.recordKey,
        d.row,
        d.outcome,
        d.findings.map((f) => `${f.field}: ${f.reason} (${f.defectClass})`).join('; '),
        d.comment,
        d.reviewer.name,
        d.reviewer.role,
        d.reviewer.id,
        d.decidedAt,
        d.shownSha256,
      ]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
