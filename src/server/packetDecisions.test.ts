/**
 * Decisions the lead merged from offline review packets, recorded in the team server's order
 * (on the embedded database, over HTTP): each is checked by the core's own rules and the review's
 * assignment, keeps its packet evidence, is the lead's entry naming the reviewer as the packet
 * carries her, and never passes for one the reviewer posted herself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalSha256Hex } from '../core/hash/index.ts';
import { type ShownRecord, shownHash } from '../core/signoff/review/index.ts';
import { firstBrokenProjectEntry, loadProjectAudit } from '../formats/projectAudit.ts';
import type { Decision } from '../formats/review.ts';
import { FIXTURE_PLAN_HASH, fixtureDecision, fixtureReview } from '../formats/testing/fixtures.ts';
import { type Database, readAudit } from './index.ts';
import { freshEmbedded } from './testing/databases.ts';
import { type ServerWithPeople, serverWithPeople } from './testing/people.ts';

const PEOPLE = { lena: 'Lena Lead', rita: 'Rita Reviewer', rex: 'Rex Second', ada: 'Ada Adjudicator' };
type Who = keyof typeof PEOPLE;
const KEYS = ['MRN-1', 'MRN-2', 'MRN-3'];
const shownOf = (key: string, row: number): ShownRecord => ({
  planHash: FIXTURE_PLAN_HASH,
  stratum: 'patients',
  recordKey: key,
  source: { file: 'patients.csv', row, header: ['mrn'], cells: [key] },
  mapping: { id: 'm1', version: 1 },
  target: { identifier: key },
  alignment: [{ target: 'identifier', columns: ['mrn'], value: key }],
});
const SHOWN = KEYS.map((k, i) => shownOf(k, i + 1));
const PACKET = 'a'.repeat(64);

/** A decision from the second-pass packet `packet`, by the clinician as she typed herself in it. */
function fromPacket(id: string, key: string, stage: Decision['stage'] = 'second', packet = PACKET): Decision {
  return {
    ...fixtureDecision(id, key),
    stage,
    reviewer: { name: 'Rex Second', role: 'Physician', id: 'MD-17' },
    shownSha256: shownHash(SHOWN[KEYS.indexOf(key)] as ShownRecord),
    imported: {
      packetSha256: packet,
      chainHead: 'c'.repeat(64),
      entry: KEYS.indexOf(key) + 4,
      entryHash: String(KEYS.indexOf(key)).repeat(64),
      mergedAt: '2025-03-03T10:00:00+01:00',
      mergedBy: 'DL-1',
    },
  };
}

let db: Database;
let server: ServerWithPeople<Who>;
let project: string;
const member = new Map<Who, string>();
const ask = (who: Who, method: string, path: string, body?: unknown) => server.ask(who, method, path, body);
const review = (rest = '') => `/api/projects/${project}/reviews/rv1${rest}`;
const record = (decisions: Decision[], who: Who = 'lena') =>
  ask(who, 'POST', review('/packet-decisions'), { decisions });

beforeAll(async () => {
  db = await freshEmbedded();
  server = await serverWithPeople(db, PEOPLE, () => Date.now());
  project = (await ask('lena', 'POST', '/api/projects', { name: 'Go-live' })).body.project.id;
  for (const who of ['rita', 'rex', 'ada'] as const)
    await ask('lena', 'POST', `/api/projects/${project}/members`, { subject: who, role: 'reviewer' });
  for (const m of (await ask('lena', 'GET', `/api/projects/${project}`)).body.members as {
    id: string;
    subject: Who;
  }[])
    member.set(m.subject, m.id);
  const { format: _, decisions: __, ...posted } = fixtureReview('rv1');
  const assigned = await ask('lena', 'POST', `/api/projects/${project}/reviews`, {
    review: { ...posted, dualReview: true },
    assignments: KEYS.map((recordKey) => ({
      stratum: 'patients',
      recordKey,
      first: member.get('rita'),
      second: member.get('rex'),
      adjudicator: member.get('ada'),
    })),
  });
  expect(assigned.status).toBe(201);
  const sent = await ask('lena', 'POST', review('/records'), { records: SHOWN.map((shown) => ({ shown })) });
  expect(sent.status).toBe(200);
  // Rita reviews the first pass of MRN-1 on the server herself
  const hers = await ask('rita', 'POST', review('/decisions'), {
    decisions: [
      {
        ...fixtureDecision('rita-1', 'MRN-1'),
        stage: 'first',
        reviewer: { name: 'Rita Reviewer', role: 'reviewer', id: member.get('rita') },
        shownSha256: shownHash(SHOWN[0] as ShownRecord),
      },
    ],
  });
  expect(hers.status).toBe(201);
}, 180_000);

afterAll(async () => {
  await server?.close();
  await db?.close();
});

describe("decisions merged from review packets, in the server's order", () => {
  it('records them after what came before, as the lead’s entries naming the packet and its reviewer', async () => {
    const decisions = [fromPacket('p-1', 'MRN-1'), fromPacket('p-2', 'MRN-2')];
    const before = (await readAudit(db, { project })).length;
    const answer = await record(decisions);
    expect(answer.status).toBe(201);
    expect(
      answer.body.decisions.map((d: { seq: number; fromPacket?: true }) => [d.seq, d.fromPacket]),
    ).toEqual([
      [2, true],
      [3, true],
    ]);
    const entries = (await readAudit(db, { project })).slice(before);
    expect(entries).toHaveLength(2);
    expect(entries[0]).toMatchObject({
      kind: 'review-decision-from-packet',
      actor: { name: 'Lena Lead' },
      detail: {
        review: 'rv1',
        record: '1',
        stage: 'second',
        decision: 'p-1',
        decisionSha256: canonicalSha256Hex(decisions[0]),
        reviewSeq: '2',
        packetSha256: PACKET,
        packetChainHead: 'c'.repeat(64),
        packetEntry: '4',
        packetEntryHash: '0'.repeat(64),
        packetReviewer: 'MD-17',
        packetReviewerName: 'Rex Second',
        passAssignedTo: member.get('rex'),
      },
    });
    expect(firstBrokenProjectEntry(project, await readAudit(db, { project }))).toBeUndefined();
    // the anchor knows them at their places: they are the server's entries
    const anchored = await ask('rita', 'POST', '/api/anchor', { hashes: entries.map((e) => e.hash) });
    expect(anchored.body.entries).toEqual(
      entries.map((e) => ({ hash: e.hash, known: true, projectSeq: e.projectSeq, kind: e.kind })),
    );

    // the lead reads them in order, marked as from a packet; sent again, they are the same entries
    const read = await ask('lena', 'GET', review('/decisions'));
    expect(
      read.body.decisions.map((d: { decision: Decision; fromPacket?: true }) => [
        d.decision.id,
        d.fromPacket,
      ]),
    ).toEqual([
      ['rita-1', undefined],
      ['p-1', true],
      ['p-2', true],
    ]);
    const again = await record(decisions);
    expect(again.status).toBe(201);
    expect(again.body.decisions.map((d: { seq: number }) => d.seq)).toEqual([2, 3]);
    expect(await readAudit(db, { project })).toHaveLength(before + 2);
  });

  it('shows the reviewer whose pass they decided which records her packet decided, and who recorded them', async () => {
    type Listed = {
      id: number;
      recordKey: string;
      pass: string;
      decided: boolean;
      decidedInPacket?: unknown;
    };
    const rex = (await ask('rex', 'GET', review('/assigned'))).body.records as Listed[];
    const recorded = (await ask('lena', 'GET', review('/decisions'))).body.decisions as {
      receivedAt: string;
      decision: Decision;
    }[];
    const at = (id: string) => recorded.find((d) => d.decision.id === id)?.receivedAt;
    expect(rex.map((r) => [r.recordKey, r.pass, r.decided, r.decidedInPacket])).toEqual([
      ['MRN-1', 'second', false, { recordedBy: 'Lena Lead', recordedAt: at('p-1'), outcome: 'accept' }],
      ['MRN-2', 'second', false, { recordedBy: 'Lena Lead', recordedAt: at('p-2'), outcome: 'accept' }],
      ['MRN-3', 'second', false, undefined],
    ]);
    // the first reviewer's pass was not in that packet: her list says nothing of it
    const rita = (await ask('rita', 'GET', review('/assigned'))).body.records as Listed[];
    expect(rita.map((r) => [r.recordKey, r.decided, r.decidedInPacket])).toEqual([
      ['MRN-1', true, undefined],
      ['MRN-2', false, undefined],
      ['MRN-3', false, undefined],
    ]);
  });

  it.each([
    [
      'one not merged from a packet',
      () => [{ ...fromPacket('x-1', 'MRN-3'), imported: undefined }],
      400,
      /not merged from a review packet/,
    ],
    [
      'an id used by another decision',
      () => [{ ...fromPacket('p-1', 'MRN-1'), comment: 'other' }],
      409,
      /already used by another decision/,
    ],
    [
      "an id used by a reviewer's own decision",
      () => [{ ...fromPacket('rita-1', 'MRN-3') }],
      409,
      /already used by another decision/,
    ],
    [
      'a first review from the second pass’s packet',
      () => [fromPacket('x-2', 'MRN-3', 'first')],
      409,
      /a packet is for one pass/,
    ],
    [
      'a second first review of a record',
      () => [fromPacket('x-3', 'MRN-1', 'first', 'd'.repeat(64))],
      409,
      /^decision 1 of 1 \(record 1\): both reviewers decided this record, so independent review of it is closed$/,
    ],
    [
      'an adjudication',
      () => [fromPacket('x-4', 'MRN-3', 'adjudication', 'e'.repeat(64))],
      409,
      /an adjudication is not made in a review packet/,
    ],
    [
      'a record not drawn',
      () => [{ ...fromPacket('x-5', 'MRN-3'), recordKey: 'MRN-404' }],
      409,
      /not one of this review’s drawn records/,
    ],
    [
      'other content than the server holds',
      () => [{ ...fromPacket('x-6', 'MRN-3'), shownSha256: 'f'.repeat(64) }],
      409,
      /other content for record 3/,
    ],
    [
      'a batch with one refused (all or none)',
      () => [fromPacket('x-7', 'MRN-3'), fromPacket('x-8', 'MRN-2')],
      409,
      /^decision 2 of 2 \(record 2\): /,
    ],
  ] as const)('refuses %s, recording nothing but the attempt', async (_what, decisions, status, reason) => {
    const before = (await readAudit(db, { project })).length;
    const answer = await record(decisions() as Decision[]);
    expect(answer.status).toBe(status);
    expect(answer.body.error).toMatch(reason);
    // no decision: the refused attempt alone, by the lead, with why (refusalFolds.ts)
    const added = (await readAudit(db, { project })).slice(before);
    expect(added.map((e) => [e.kind, e.actor?.subject, e.detail.about, e.detail.words])).toEqual([
      ['attempt-refused', 'lena', 'decision', answer.body.error],
    ]);
  });

  it('is the lead’s to do, and a reviewer cannot post a packet decision as her own', async () => {
    const refused = await record([fromPacket('x-9', 'MRN-3')], 'rex');
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatch(/cannot record decisions merged from review packets/);
    const posted = await ask('rex', 'POST', review('/decisions'), {
      decisions: [{ ...fromPacket('p-1', 'MRN-1') }],
    });
    expect(posted.status).toBe(409);
    expect(posted.body.error).toMatch(/recorded from a review packet/);
  });

  it('tells whoever asks after a review the project does not hold in words for her', async () => {
    const missing = `/api/projects/${project}/reviews/rv-none`;
    // the lead sees every review: there is no such one, and nothing is said of assignments
    const lead = await ask('lena', 'POST', `${missing}/packet-decisions`, {
      decisions: [fromPacket('x-1', 'MRN-1')],
    });
    expect(lead.status).toBe(404);
    expect(lead.body.error).toBe(
      'no such review in this project: open it again from the project’s list of reviews',
    );
    expect((await ask('lena', 'GET', `${missing}/decisions`)).body.error).toBe(lead.body.error);
    // a reviewer is not told whether a review she has nothing assigned on exists
    const reviewer = 'no such review in this project, or none of its records is assigned to you';
    for (const path of [`${missing}/decisions`, `${missing}/assigned`])
      expect((await ask('rex', 'GET', path)).body).toMatchObject({ error: reviewer });
  });

  it('exports each decision beside its entry: its comment, the fields marked wrong and the stated role', async () => {
    const marked: Decision = {
      ...fromPacket('p-marked', 'MRN-3'),
      outcome: 'reject',
      findings: [{ field: 'birthDate', reason: 'wrong-value', defectClass: 'major' }],
      comment: 'day and month swapped',
    };
    expect((await record([marked])).status).toBe(201);
    const exported = (await ask('lena', 'GET', `/api/projects/${project}/audit`)).body;
    const loaded = loadProjectAudit(exported);
    expect(loaded.ok, JSON.stringify(loaded)).toBe(true);
    const carried = exported.decisions.find((d: { decision: Decision }) => d.decision.id === 'p-marked') as {
      projectSeq: number;
      decision: Decision;
    };
    expect(carried.decision).toEqual(marked);
    expect(carried.decision.reviewer.role).toBe('Physician');
    const entry = exported.entries.find((e: { projectSeq: number }) => e.projectSeq === carried.projectSeq);
    expect(entry.detail).toMatchObject({ decision: 'p-marked', decisionSha256: canonicalSha256Hex(marked) });
    // every decision the log records is there, and none other
    const recorded = exported.entries.filter(
      (e: { detail: { decisionSha256?: string } }) => e.detail.decisionSha256,
    );
    expect(exported.decisions.map((d: { projectSeq: number }) => d.projectSeq)).toEqual(
      recorded.map((e: { projectSeq: number }) => e.projectSeq),
    );
    // a comment changed in the file, or a decision moved to another entry, is caught on load
    const i = exported.decisions.indexOf(carried);
    const edited = structuredClone(exported);
    edited.decisions[i].decision.comment = 'no problem found';
    const moved = structuredClone(exported);
    moved.decisions[i].projectSeq = exported.decisions[0].projectSeq;
    for (const changed of [edited, moved]) {
      const result = loadProjectAudit(changed);
      expect(result.ok).toBe(false);
      expect(JSON.stringify(result)).toContain(`/decisions/${i}`);
    }
  });
});
