/**
 * A complete packet round trip for tests: a locked plan, the lead's review of a 3-record sample,
 * the packet with what the screen showed, the clinician's review with 3 decisions, their audit
 * chain and the results file. Invented content, no real patient data. Test-only.
 */
import type { Decision, Finding, Review, Reviewer, ReviewPass } from '../../../../formats/review.ts';
import type { ReviewPacket } from '../../../../formats/reviewPacket.ts';
import type { ReviewResults } from '../../../../formats/reviewResults.ts';
import { fixtureReview, fixtureSamplePlan } from '../../../../formats/testing/fixtures.ts';
import type { ShownRecord } from '../../review/review.ts';
import { lockPlan, planHash } from '../../sampling/planLock.ts';
import { pendingAuditEntries } from '../../signing/auditChain.ts';
import { createReviewPacket, createReviewResults, rememberPacket, reviewOfPacket } from '../packets.ts';

const PEOPLE: Record<string, [string, string]> = {
  'MRN-1': ['Ana Diaz', '1980-02-03'],
  'MRN-2': ['Ben Okafor', '1975-11-30'],
  'MRN-3': ['Chen Li', '2001-07-14'],
};

/** One clinician's decision on a packet record: its outcome, findings and comment. */
interface ClinicianCall {
  outcome: Decision['outcome'];
  findings?: Finding[];
  comment?: string;
}

/**
 * A clinician's review of `packet` (as opened on their computer) deciding each record in order as
 * `calls` say, with its audit chain and results file.
 */
export function clinicianResults(packet: ReviewPacket, reviewer: Reviewer, calls: readonly ClinicianCall[]) {
  const base = reviewOfPacket(packet, packet.integrity.sha256, `remote-${reviewer.id}`);
  const stage: ReviewPass | undefined = base.dualReview ? (packet.pass ?? 'first') : undefined;
  const review: Review = {
    ...base,
    decisions: packet.records.slice(0, calls.length).map((record, i) => {
      const call = calls[i] as ClinicianCall;
      return {
        id: `${reviewer.id}-${packet.id}-d${i + 1}`,
        planHash: packet.planHash,
        stratum: record.stratum,
        recordKey: record.key,
        row: record.shown.source.row,
        file: 'patients.csv',
        reviewer,
        decidedAt: `2025-03-03T10:0${i}:00+01:00`,
        outcome: call.outcome,
        findings: call.findings ?? [],
        ...(call.comment ? { comment: call.comment } : {}),
        ...(stage ? { stage } : {}),
        mapping: { id: 'm1', version: 1 },
        shownSha256: record.shownSha256,
      };
    }),
  };
  const entries = pendingAuditEntries(undefined, [review], new Set());
  const results = createReviewResults({ packet, review, entries, exportedAt: '2025-03-03T11:00:00+01:00' });
  return { review, entries, results };
}

/** The result-key secret of packets made with `hashedKeys` (fixed, so results are reproducible). */
export const SCENARIO_RESULT_KEY_SECRET = '5ec2e7'.repeat(10).concat('0000');

/**
 * Everything a packet test needs, fresh on every call; `dualReview` locks a plan reviewed twice,
 * `hashedKeys` makes a packet whose results identify records by keyed hash.
 */
export function packetScenario(options: { dualReview?: boolean; hashedKeys?: boolean } = {}) {
  const plan = lockPlan(
    { ...fixtureSamplePlan('p1'), ...(options.dualReview ? { dualReview: true } : {}) },
    [{ name: 'patients.csv', bytes: 1200, sha256: 'c'.repeat(64) }],
    '2025-03-01T11:00:00Z',
  );
  const hash = planHash(plan);
  const base = fixtureReview('lead-review');
  const leadReview: Review = {
    ...base,
    plan: { id: plan.id, hash },
    ...(options.dualReview ? { dualReview: true } : {}),
  };
  const shown: ShownRecord[] = (leadReview.sample.strata[0]?.records ?? []).map((record) => {
    const [name, birthDate] = PEOPLE[record.key] ?? ['', ''];
    return {
      planHash: hash,
      stratum: 'patients',
      recordKey: record.key,
      source: {
        file: 'patients.csv',
        row: record.row,
        header: ['mrn', 'name', 'dob'],
        cells: [record.key, name, birthDate],
      },
      mapping: { id: 'm1', version: 1 },
      target: { identifier: record.key, name, birthDate },
      alignment: [
        { target: 'identifier', columns: ['mrn'] },
        { target: 'name', columns: ['name'] },
        { target: 'birthDate', columns: ['dob'] },
      ],
    };
  });
  const packet: ReviewPacket = createReviewPacket({
    id: 'packet-1',
    createdAt: '2025-03-02T09:00:00Z',
    plan,
    review: leadReview,
    shown,
    ...(options.hashedKeys ? { resultKeySecret: SCENARIO_RESULT_KEY_SECRET } : {}),
  });
  const lead = rememberPacket(leadReview, packet);
  const outcomes: Decision['outcome'][] = ['accept', 'reject', 'cannot-assess'];
  const clinicianBase = reviewOfPacket(packet, packet.integrity.sha256, 'remote-review');
  const clinician: Review = {
    ...clinicianBase,
    decisions: packet.records.map((record, i) => ({
      id: `remote-d${i + 1}`,
      planHash: hash,
      stratum: record.stratum,
      recordKey: record.key,
      row: record.shown.source.row,
      file: 'patients.csv',
      reviewer: { name: 'Dana Reyes', role: 'Registered nurse', id: 'RN-204' },
      decidedAt: `2025-03-03T10:0${i}:00+01:00`,
      outcome: outcomes[i] ?? 'accept',
      findings: i === 1 ? [{ field: 'birthDate', reason: 'wrong-value', defectClass: 'major' }] : [],
      mapping: { id: 'm1', version: 1 },
      shownSha256: record.shownSha256,
    })),
  };
  const entries = pendingAuditEntries(undefined, [clinician], new Set());
  const results: ReviewResults = createReviewResults({
    packet,
    review: clinician,
    entries,
    exportedAt: '2025-03-03T11:00:00+01:00',
  });
  return { plan, hash, leadReview, lead, shown, packet, clinician, entries, results };
}
