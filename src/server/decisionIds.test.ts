/**
 * A decision's id is bounded where the server's contract checks the body (on the embedded
 * database, over HTTP): a too-long id or one with control characters is refused with words before
 * any handler or audit entry sees it, while the ids the app makes (UUIDs) still pass.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ShownRecord, shownHash } from '../core/signoff/review/index.ts';
import { FIXTURE_PLAN_HASH, fixtureDecision, fixtureReview } from '../formats/testing/fixtures.ts';
import type { Database } from './index.ts';
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

let db: Database;
let server: ServerWithPeople<Who>;
let project: string;
let rita: string;
let rex: string;
let ada: string;
const decisions = () => `/api/projects/${project}/reviews/rv1/decisions`;
const post = (id: string, key = 'MRN-1') =>
  server.ask('rita', 'POST', decisions(), {
    decisions: [
      {
        ...fixtureDecision(id, key),
        reviewer: { name: 'Rita Reviewer', role: 'reviewer', id: rita },
        shownSha256: shownHash(SHOWN[KEYS.indexOf(key)] as ShownRecord),
      },
    ],
  });

beforeAll(async () => {
  db = await freshEmbedded();
  server = await serverWithPeople(db, PEOPLE, () => Date.now());
  project = (await server.ask('lena', 'POST', '/api/projects', { name: 'Go-live' })).body.project.id;
  for (const who of ['rita', 'rex', 'ada'] as const)
    await server.ask('lena', 'POST', `/api/projects/${project}/members`, { subject: who, role: 'reviewer' });
  const members = (await server.ask('lena', 'GET', `/api/projects/${project}`)).body.members as {
    id: string;
    subject: Who;
  }[];
  rita = members.find((m) => m.subject === 'rita')?.id ?? '';
  rex = members.find((m) => m.subject === 'rex')?.id ?? '';
  ada = members.find((m) => m.subject === 'ada')?.id ?? '';
  const { format: _, decisions: __, ...posted } = fixtureReview('rv1');
  const assigned = await server.ask('lena', 'POST', `/api/projects/${project}/reviews`, {
    review: { ...posted, dualReview: true },
    assignments: KEYS.map((recordKey) => ({
      stratum: 'patients',
      recordKey,
      first: rita,
      second: rex,
      adjudicator: ada,
    })),
  });
  expect(assigned.status).toBe(201);
  const sent = await server.ask('lena', 'POST', `/api/projects/${project}/reviews/rv1/records`, {
    records: SHOWN.map((shown) => ({ shown })),
  });
  expect(sent.status).toBe(200);
}, 180_000);

afterAll(async () => {
  await server?.close();
  await db?.close();
});

describe('a decision id the server is sent', () => {
  it('refuses one longer than 200 characters, saying so', async () => {
    const refused = await post('d'.repeat(201));
    expect(refused.status).toBe(400);
    expect(refused.body.error).toContain('body/decisions/0/id must NOT have more than 200 characters');
  });

  it.each([
    ['a line break', 'rita-1\nforged line'],
    ['an escape code', 'rita-1\u001b[2J'],
    ['a tab', 'rita\t1'],
    ['a NUL', 'rita\u00001'],
  ])('refuses one with %s, in words and without echoing the pattern', async (_what, id) => {
    const refused = await post(id);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toBe(
      'body/decisions/0/id must not contain line breaks, tabs or other control characters',
    );
  });

  it('takes the ids the app makes (UUIDs) and ids of the full 200 characters', async () => {
    expect((await post(crypto.randomUUID(), 'MRN-3')).status).toBe(201);
    expect((await post(`x${'y'.repeat(199)}`, 'MRN-2')).status).toBe(201);
  });
});
