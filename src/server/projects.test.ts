/**
 * Projects and roles. The role × action table is checked as data — every role against every
 * action, allowed or refused, as `mayDo` (the one check every project route asks) decides it.
 * Then the real server, over HTTP on the embedded database: each action's route once allowed and
 * once refused, and the roster's rules — a member removed mid-session, end dates, the last lead,
 * bodies refused, and every change in the audit log. On PostgreSQL only what the database decides:
 * two leads removing each other at once (the project's row lock). None of the rest is the
 * database's: the same SQL runs on both engines (the audit log's and migrations' tests prove the
 * engines' own parts on both).
 *
 * People are signed in with the server's own `signIn` (testing/people.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresBinDir } from '../../tests/setup/postgres.ts';
import { type SteeringDecisionContent, steeringDecisionHash } from '../core/signoff/signing/index.ts';
import { reportSummaryOf } from '../core/teamRecords/index.ts';
import { firstBrokenProjectEntry, loadProjectAudit } from '../formats/projectAudit.ts';
import type { Report } from '../formats/report.ts';
import {
  fixtureDecision,
  fixtureProject,
  fixtureReview,
  fixtureSamplePlan,
  fixtureWorkflow,
} from '../formats/testing/fixtures.ts';
import {
  ACTIONS,
  actionsOf,
  appendAudit,
  type Database,
  firstBrokenAuditEntry,
  MAX_MEMBERS,
  MAX_PROJECT_NAME,
  mayDo,
  type ProjectAction,
  ROLES,
  type Role,
  readAudit,
} from './index.ts';
import { addMember, createProject, membershipOf, membersOf, projectOf } from './projects.ts';
import { fileTestEngines } from './testing/databases.ts';
import { type ServerWithPeople, serverWithPeople, TEST_ISSUER } from './testing/people.ts';

const testEngines = fileTestEngines();
const running = () => testEngines.running();

/** 23:45 UTC: a quarter of an hour on, an end date of "tomorrow" has come (sessions stay alive). */
const START = Date.UTC(2026, 2, 9, 23, 45);
const TOMORROW = '2026-03-10';
const PAST_MIDNIGHT = 20 * 60 * 1000;
const ISSUER = TEST_ISSUER;

/** The people of the tests: one per role, the owner who creates projects, and a stranger. */
const PEOPLE = {
  owner: 'Olive Owner',
  lena: 'Lena Lead',
  ana: 'Ana Lyst',
  dora: 'Dora Data',
  rita: 'Rita Reviewer',
  sam: 'Sam Steering',
  vic: 'Vic Viewer',
  otto: 'Otto Outsider',
  tom: 'Tom Target',
} as const;
type PersonKey = keyof typeof PEOPLE;
const CALLER_OF: Record<Role, PersonKey> = {
  lead: 'lena',
  analyst: 'ana',
  data: 'dora',
  reviewer: 'rita',
  steering: 'sam',
  viewer: 'vic',
};

/** Who asks, in the table: a member of each role, a stranger, and a lead whose end date has come. */
type Caller = Role | 'not a member' | 'lead past end date';
const Y = 'allowed';
const N = 'refused (403)';
const H = 'not found (404)';
type Outcome = typeof Y | typeof N | typeof H;

/**
 * The expected role × action table, written out by hand: the server's own table must agree
 * (first test); the requests below are chosen from it.
 */
const EXPECTED: Record<Caller, Record<ProjectAction, Outcome>> = {
  //                    read  rename  add  change  remove  audit  workflows  edit-wf  sign  manage-signing
  //                    read-records  data-checks  share-runs  plans  readiness  data-dictionary  steering  steering-meeting
  //                    assign-reviews  review-records  record-packet-decisions  sign-steering  read-sample-results
  lead: row(Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, Y, N, Y, Y, Y, Y, N, Y),
  analyst: row(Y, N, N, N, N, N, Y, Y, N, N, Y, N, Y, N, Y, Y, N, N, N, N, N, N, Y),
  data: row(Y, N, N, N, N, N, Y, N, Y, N, Y, Y, Y, N, N, Y, N, N, N, N, N, N, Y),
  reviewer: row(Y, N, N, N, N, N, Y, N, Y, N, Y, N, N, N, N, N, N, N, N, Y, N, N, N),
  steering: row(Y, N, N, N, N, N, Y, N, Y, N, Y, N, N, N, N, N, Y, Y, N, N, N, Y, Y),
  viewer: row(Y, N, N, N, N, N, Y, N, N, N, Y, N, N, N, N, N, N, N, N, N, N, N, Y),
  'not a member': row(H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H),
  'lead past end date': row(H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H, H),
};
function row(...outcomes: Outcome[]): Record<ProjectAction, Outcome> {
  return Object.fromEntries(ACTIONS.map((action, i) => [action, outcomes[i]])) as Record<
    ProjectAction,
    Outcome
  >;
}

/** The roles from the one allowed fewest actions to the one allowed most (ties in table order). */
const BY_REACH = [...ROLES].sort(
  (a, b) =>
    ACTIONS.filter((x) => EXPECTED[a][x] === Y).length - ACTIONS.filter((x) => EXPECTED[b][x] === Y).length,
);

type Case = { caller: Caller; action: ProjectAction; outcome: Outcome };

/**
 * The requests tried on the server, two per action (each action is one route): one allowed, asked
 * by the role of least reach that may, and one refused, asked by the role of most reach that may
 * not, or by a stranger where every role may. The table itself is checked whole as data (the first
 * test); these prove each route asks it, and does its work when allowed and nothing when refused.
 * A lead past her end date is asked once: the project is not found to her, as to a stranger.
 */
const CASES: Case[] = [
  ...ACTIONS.flatMap((action): Case[] => {
    const allowedBy = BY_REACH.find((role) => EXPECTED[role][action] === Y) as Role;
    const refusedBy: Caller = BY_REACH.findLast((role) => EXPECTED[role][action] === N) ?? 'not a member';
    return [
      { caller: allowedBy, action, outcome: Y },
      { caller: refusedBy, action, outcome: EXPECTED[refusedBy][action] },
    ];
  }),
  { caller: 'lead past end date', action: 'rename-project', outcome: H },
];

/** A shared accepted issue and a steering decision, as the record writes of the table send them. */
const RECORD_WAIVER = {
  id: 'w1',
  rule: 'contract.required',
  column: 'dob',
  rationale: 'Legacy system kept no date of birth for walk-ins.',
  owner: 'Dora Data',
  expires: '2026-12-31',
};
const RECORD_STEERING_DECISION = {
  id: 'dec-1',
  decision: 'go',
  readiness: 'go',
  resultSha256: 'a'.repeat(64),
  rationale: 'Every gate passes.',
  recordedAt: '2026-03-09T10:00:00+01:00',
  signatures: [
    {
      id: 'sig-1',
      signer: { name: 'Sam Steering', role: 'Medical director', id: 'MD-1' },
      signedAt: '2026-03-09T10:00:00+01:00',
      meaning: 'Approved for go-live',
      signatureSha256: 'b'.repeat(64),
      reauthentication: { method: 'none', reason: 'no WebAuthn' },
    },
  ],
};

/** The summary of a run (counts and SHA-256s), as sharing a run sends it. */
const RECORD_RUN_SUMMARY = reportSummaryOf({ ...(fixtureProject().reports[0] as Report), id: 'r1' });

/** A data dictionary of one confirmed link, as the dictionary's write of the table sends it. */
const RECORD_DICTIONARY = {
  links: [
    {
      item: 'allergies',
      target: { kind: 'column', dataset: 'patients', column: 'allergy_code' },
      decision: 'confirmed',
      by: 'Dora Data (Data team)',
      at: '2026-03-09T10:00:00+01:00',
    },
  ],
};

/** A go/no-go meeting of two steering members, one attended, with a condition for go. */
const RECORD_MEETING = {
  attendees: [
    { name: 'Sam Steering', role: 'CMIO', steering: true, attended: true },
    { name: 'Lee Park', role: 'Clinic manager', steering: true, attended: false },
  ],
  quorum: { minSteering: 1 },
  conditions: [{ text: 'Pharmacy list rechecked', owner: 'Lee Park', due: '2027-01-10' }],
};

const { signatures: _signatures, ...STEERING_CONTENT } =
  RECORD_STEERING_DECISION as SteeringDecisionContent & { signatures: unknown };

/** What each action is over HTTP, and the audit entry it leaves when allowed. */
/** The actions whose request below goes to a route that records its refusals (an attempt on a role, a key, a signature or a decision). */
const RECORDED_REFUSALS: ReadonlySet<string> = new Set([
  'add-member',
  'change-member',
  'remove-member',
  'record-packet-decisions',
  'sign',
  'manage-signing',
  'sign-steering',
]);

const REQUESTS: Record<
  ProjectAction,
  {
    method: string;
    path: (p: string, target: string) => string;
    /** the body, or how to make it from the caller's own membership id */
    body?: unknown | ((me: string) => unknown);
    kind: string;
    /** what the project's owner (its lead) does first, so an allowed request has something to act on */
    setup?: (
      ask: ServerWithPeople<PersonKey>['ask'],
      project: string,
      owner: string,
    ) => Promise<{ status: number }>;
  }
> = {
  'read-project': { method: 'GET', path: (p) => `/api/projects/${p}`, kind: '' },
  'rename-project': {
    method: 'PATCH',
    path: (p) => `/api/projects/${p}`,
    body: { name: 'Renamed' },
    kind: 'project-renamed',
  },
  'add-member': {
    method: 'POST',
    path: (p) => `/api/projects/${p}/members`,
    body: { subject: 'newcomer', role: 'viewer' },
    kind: 'member-added',
  },
  'change-member': {
    method: 'PATCH',
    path: (p, t) => `/api/projects/${p}/members/${t}`,
    body: { role: 'data' },
    kind: 'member-changed',
  },
  'remove-member': {
    method: 'DELETE',
    path: (p, t) => `/api/projects/${p}/members/${t}`,
    kind: 'member-removed',
  },
  'read-audit': { method: 'GET', path: (p) => `/api/projects/${p}/audit`, kind: 'audit-exported' },
  'read-workflows': { method: 'GET', path: (p) => `/api/projects/${p}/workflows`, kind: '' },
  'edit-workflows': {
    method: 'POST',
    path: (p) => `/api/projects/${p}/workflows`,
    body: { workflow: fixtureWorkflow('shared-intake') },
    kind: 'workflow-shared',
  },
  // asking for a key registration's options records nothing; the registration itself does
  // (signingKeys.test.ts)
  sign: { method: 'POST', path: (p) => `/api/projects/${p}/signing-keys/options`, kind: '' },
  'manage-signing': {
    method: 'PATCH',
    path: (p) => `/api/projects/${p}/signing`,
    body: { idleMinutes: 20 },
    kind: 'signing-settings-changed',
  },
  'read-records': { method: 'GET', path: (p) => `/api/projects/${p}/records`, kind: '' },
  'edit-data-checks': {
    method: 'PUT',
    path: (p) => `/api/projects/${p}/records/waiver/w1`,
    body: { baseVersion: 0, body: RECORD_WAIVER },
    kind: 'record-written',
  },
  // a run's summary, shared by whoever ran it (another member's is changed under edit-data-checks:
  // sharedRecords.test.ts)
  'share-runs': {
    method: 'PUT',
    path: (p) => `/api/projects/${p}/records/report-summary/r1`,
    body: { baseVersion: 0, body: RECORD_RUN_SUMMARY },
    kind: 'record-written',
  },
  'edit-plans': {
    method: 'PUT',
    path: (p) => `/api/projects/${p}/records/sample-plan/p1`,
    body: { baseVersion: 0, body: fixtureSamplePlan('p1') },
    kind: 'record-written',
  },
  'edit-readiness': {
    method: 'PUT',
    path: (p) => `/api/projects/${p}/records/readiness-record/rollbackPlan`,
    body: { baseVersion: 0, body: { present: true } },
    kind: 'record-written',
  },
  'edit-data-dictionary': {
    method: 'PUT',
    path: (p) => `/api/projects/${p}/records/readiness-record/dataDictionary`,
    body: { baseVersion: 0, body: RECORD_DICTIONARY },
    kind: 'record-written',
  },
  'record-steering': {
    method: 'PUT',
    path: (p) => `/api/projects/${p}/records/steering-decision/dec-1`,
    body: { baseVersion: 0, body: RECORD_STEERING_DECISION },
    kind: 'record-written',
  },
  'record-steering-meeting': {
    method: 'PUT',
    path: (p) => `/api/projects/${p}/records/readiness-record/steeringMeeting`,
    body: { baseVersion: 0, body: RECORD_MEETING },
    kind: 'record-written',
  },
  // a one-pass review of three records, all of them the lead's own (reviewAssignments.test.ts
  // walks assignments, blind passes and adjudication)
  'assign-reviews': {
    method: 'POST',
    path: (p) => `/api/projects/${p}/reviews`,
    body: (me: string) => {
      const { format: _, decisions: __, ...review } = fixtureReview();
      const assignments = review.sample.strata.flatMap((s) =>
        s.records.map((r) => ({ stratum: s.id, recordKey: r.key, first: me })),
      );
      return { review, assignments };
    },
    kind: 'review-assigned',
  },
  'review-records': { method: 'GET', path: (p) => `/api/projects/${p}/reviews`, kind: '' },
  // a decision merged from an offline packet, on a review the owner sent to herself (its rules:
  // packetDecisions.test.ts)
  'record-packet-decisions': {
    method: 'POST',
    path: (p) => `/api/projects/${p}/reviews/rv1/packet-decisions`,
    body: {
      decisions: [
        {
          ...fixtureDecision('from-packet'),
          imported: {
            packetSha256: 'a'.repeat(64),
            chainHead: 'c'.repeat(64),
            entry: 3,
            entryHash: 'e'.repeat(64),
          },
        },
      ],
    },
    kind: 'review-decision-from-packet',
    setup: (ask, p, owner) => {
      const { format: _, decisions: __, ...review } = fixtureReview();
      const assignments = review.sample.strata.flatMap((s) =>
        s.records.map((r) => ({ stratum: s.id, recordKey: r.key, first: owner })),
      );
      return ask('owner', 'POST', `/api/projects/${p}/reviews`, { review, assignments });
    },
  },
  // asking to sign a go/no-go records nothing (a fresh sign-in comes first); the signature does
  // (signing.test.ts)
  'sign-steering': {
    method: 'POST',
    path: (p) => `/api/projects/${p}/steering-signatures/options`,
    body: { decision: STEERING_CONTENT },
    kind: '',
  },
  // a view of what the server holds: reading it records nothing (sampleResults.test.ts computes one)
  'read-sample-results': { method: 'GET', path: (p) => `/api/projects/${p}/sample-results`, kind: '' },
};

it('has the role × action table this file expects, as every project route asks it', () => {
  const decided = Object.fromEntries(
    ROLES.map((role) => [role, row(...ACTIONS.map((action) => (mayDo(role, action) ? Y : N)))]),
  );
  expect(decided).toEqual(Object.fromEntries(ROLES.map((role) => [role, EXPECTED[role]])));
  // what the app offers each role (a project's `can`) is the same row
  for (const role of ROLES)
    expect(actionsOf(role), role).toEqual(ACTIONS.filter((action) => EXPECTED[role][action] === Y));
});

let now = START;

/** A member the lead may not add, and the refused attempt's reason code when it is recorded. */
interface MemberRefusal {
  description: string;
  body: Record<string, string>;
  status: number;
  error: RegExp;
  recorded?: string;
}

describe('projects and roles on the embedded database', () => {
  let db: Database;
  let server: ServerWithPeople<PersonKey>;
  const ask: ServerWithPeople<PersonKey>['ask'] = (...args) => server.ask(...args);

  beforeAll(async () => {
    db = await running().open('embedded');
    server = await serverWithPeople(db, PEOPLE, () => now);
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  /** A project of `owner`'s with `who` as `role` (until `expiresOn`) and Tom as analyst. */
  async function projectWith(who: PersonKey | undefined, role: Role, expiresOn: string | null = null) {
    return db.transaction(async (tx) => {
      const project = await createProject(tx, { issuer: ISSUER, subject: 'owner' }, 'Go-live', now);
      const owner = { issuer: ISSUER, subject: 'owner', name: PEOPLE.owner };
      await appendAudit(tx, {
        at: now,
        kind: 'project-created',
        actor: owner,
        detail: { project, name: 'Go-live' },
      });
      if (who !== undefined)
        await addMember(tx, project, { issuer: ISSUER, subject: who }, role, expiresOn, now);
      const target = await addMember(tx, project, { issuer: ISSUER, subject: 'tom' }, 'analyst', null, now);
      return { project, target };
    });
  }

  it.each(CASES)('$caller: $action is $outcome', async ({ caller, action, outcome }) => {
    const who: PersonKey =
      caller === 'not a member' ? 'otto' : caller === 'lead past end date' ? 'lena' : CALLER_OF[caller];
    const role: Role = caller === 'not a member' || caller === 'lead past end date' ? 'lead' : caller;
    const { project, target } = await projectWith(
      caller === 'not a member' ? undefined : who,
      role,
      caller === 'lead past end date' ? TOMORROW : null,
    );
    const request = REQUESTS[action];
    if (request.setup) {
      const owner = await membershipOf(db, { issuer: ISSUER, subject: 'owner' }, project, now);
      expect((await request.setup(ask, project, owner?.memberId ?? 'none')).status).toBeLessThan(300);
    }
    const before = await readAudit(db, { project });
    if (caller === 'lead past end date') now += PAST_MIDNIGHT;
    let answer: Awaited<ReturnType<typeof ask>>;
    try {
      const me = await membershipOf(db, { issuer: ISSUER, subject: who }, project, now);
      const body = typeof request.body === 'function' ? request.body(me?.memberId ?? 'none') : request.body;
      answer = await ask(who, request.method, request.path(project, target), body);
    } finally {
      if (caller === 'lead past end date') now -= PAST_MIDNIGHT;
    }
    const added = (await readAudit(db, { project })).slice(before.length).map((e) => e.kind);
    const roster = await membersOf(db, project, now);
    const { name } = await projectOf(db, project);
    const tom = roster.find((m) => m.subject === 'tom');

    if (outcome !== Y) {
      expect(answer.status).toBe(outcome === N ? 403 : 404);
      expect(answer.body.error).toMatch(
        outcome === N
          ? `your role on this project (${role}) cannot`
          : /no such project, or you are not a member/,
      );
      // the app tells "not open to you" from a thing missing inside a project by this mark
      expect(answer.body.code).toBe(outcome === N ? undefined : 'project-not-open');
      // a refused attempt on a role, a key, a signature or a decision is evidence: recorded, by
      // whom and why (refusalFolds.test.ts); nothing else is, and a non-member's never is
      expect(added, 'a refusal changes nothing and records nothing but the attempt').toEqual(
        outcome === N && RECORDED_REFUSALS.has(action) ? ['attempt-refused'] : [],
      );
      expect(await db.query('SELECT id FROM shared_workflows WHERE project_id = $1', [project])).toEqual([]);
      expect(await db.query('SELECT id FROM shared_records WHERE project_id = $1', [project])).toEqual([]);
      expect(name).toBe('Go-live');
      expect(roster.map((m) => m.subject).sort()).toEqual(
        [who, 'owner', 'tom'].filter((s) => s !== 'otto').sort(),
      );
      expect(tom?.role).toBe('analyst');
      return;
    }
    expect(answer.status).toBeLessThan(300);
    expect(added).toEqual(request.kind === '' ? [] : [request.kind]);
    switch (action) {
      case 'read-project':
        expect(answer.body).toMatchObject({ id: project, name: 'Go-live', role });
        expect(answer.body.can).toEqual(ACTIONS.filter((a) => EXPECTED[role][a] === Y));
        break;
      case 'rename-project':
        expect(name).toBe('Renamed');
        break;
      case 'add-member':
        expect(roster.find((m) => m.subject === 'newcomer')?.role).toBe('viewer');
        break;
      case 'change-member':
        expect(tom?.role).toBe('data');
        break;
      case 'remove-member':
        expect(tom).toBeUndefined();
        break;
      case 'read-audit':
        expect(before.length).toBeGreaterThan(0);
        expect(answer.body.entries.map((e: { kind: string }) => e.kind)).toEqual([
          ...before.map((e) => e.kind),
          'audit-exported',
        ]);
        break;
      case 'read-workflows':
        expect(answer.body).toEqual({ workflows: [] });
        break;
      case 'read-records':
        expect(answer.body).toEqual({ head: 0, records: [] });
        break;
      case 'edit-data-checks':
      case 'share-runs':
      case 'edit-plans':
      case 'edit-readiness':
      case 'edit-data-dictionary':
      case 'record-steering':
      case 'record-steering-meeting':
        expect(answer.body.record).toMatchObject({ version: 1, by: expect.any(String) });
        expect((await ask(who, 'GET', `/api/projects/${project}/records`)).body.head).toBe(1);
        break;
      case 'edit-workflows':
        expect((await ask(who, 'GET', `/api/projects/${project}/workflows`)).body.workflows).toEqual([
          expect.objectContaining({ id: 'shared-intake', head: 0 }),
        ]);
        break;
      case 'assign-reviews':
        expect(answer.body.records).toHaveLength(3);
        break;
      case 'review-records':
        expect(answer.body).toEqual({ reviews: [] });
        break;
      case 'read-sample-results':
        expect(answer.body).toEqual({ results: [] });
        break;
      case 'record-packet-decisions':
        expect(answer.body.decisions).toEqual([expect.objectContaining({ seq: 1, fromPacket: true })]);
        break;
      case 'sign-steering':
        expect(answer.body).toEqual({
          ceremony: 'sign-in-again',
          signInUrl: '/api/login?fresh=1',
          hash: steeringDecisionHash(STEERING_CONTENT),
        });
        break;
    }
  });

  it('lets anyone signed in create a project, who becomes its lead, and lists it only to members', async () => {
    const created = await ask('ana', 'POST', '/api/projects', { name: '  Cardiology go-live  ' });
    expect(created.status).toBe(201);
    const { id } = created.body.project;
    expect(created.body.project).toEqual({ id, name: 'Cardiology go-live', role: 'lead', expiresOn: null });
    const mine = await ask('ana', 'GET', '/api/projects');
    expect(mine.body.projects).toContainEqual({
      id,
      name: 'Cardiology go-live',
      role: 'lead',
      expiresOn: null,
    });
    const theirs = await ask('otto', 'GET', '/api/projects');
    expect(theirs.body.projects.map((p: { id: string }) => p.id)).not.toContain(id);
    const opened = await ask('ana', 'GET', `/api/projects/${id}`);
    expect(opened.body.members).toEqual([
      expect.objectContaining({
        subject: 'ana',
        name: 'Ana Lyst',
        email: 'ana@clinic.test',
        role: 'lead',
        expired: false,
      }),
    ]);
  });

  it('adds a member who has signed in by e-mail, with an end date, and lists the project to them until it', async () => {
    const { id } = (await ask('lena', 'POST', '/api/projects', { name: 'Oncology' })).body.project;
    const added = await ask('lena', 'POST', `/api/projects/${id}/members`, {
      email: 'RITA@clinic.test',
      role: 'reviewer',
      expiresOn: TOMORROW,
    });
    expect(added.status).toBe(201);
    expect(added.body.member).toMatchObject({
      subject: 'rita',
      name: 'Rita Reviewer',
      role: 'reviewer',
      expiresOn: TOMORROW,
    });
    expect((await ask('rita', 'GET', '/api/projects')).body.projects).toContainEqual({
      id,
      name: 'Oncology',
      role: 'reviewer',
      expiresOn: TOMORROW,
    });
    now += PAST_MIDNIGHT;
    try {
      const list = await ask('rita', 'GET', '/api/projects');
      expect(list.body.projects.map((p: { id: string }) => p.id)).not.toContain(id);
      const roster = (await ask('lena', 'GET', `/api/projects/${id}`)).body.members;
      const rita = roster.find((m: { subject: string }) => m.subject === 'rita');
      expect(rita).toMatchObject({ expired: true });
      expect((await ask('rita', 'GET', `/api/projects/${id}`)).status).toBe(404);
      const renewed = await ask('lena', 'PATCH', `/api/projects/${id}/members/${rita.id}`, {
        expiresOn: null,
      });
      expect(renewed.body.member).toMatchObject({ expiresOn: null, expired: false });
      expect((await ask('rita', 'GET', `/api/projects/${id}`)).status, 'renewed by the lead').toBe(200);
    } finally {
      now -= PAST_MIDNIGHT;
    }
  });

  it('takes access away from a member removed mid-session at their next request', async () => {
    const { id } = (await ask('lena', 'POST', '/api/projects', { name: 'Removal' })).body.project;
    const { member } = (
      await ask('lena', 'POST', `/api/projects/${id}/members`, { subject: 'ana', role: 'lead' })
    ).body;
    expect((await ask('ana', 'GET', `/api/projects/${id}`)).status).toBe(200);
    expect((await ask('lena', 'DELETE', `/api/projects/${id}/members/${member.id}`)).status).toBe(204);
    expect((await ask('ana', 'GET', `/api/projects/${id}`)).status).toBe(404);
    expect((await ask('ana', 'PATCH', `/api/projects/${id}`, { name: 'Mine now' })).status).toBe(404);
    expect(
      (await ask('ana', 'GET', '/api/projects')).body.projects.map((p: { id: string }) => p.id),
    ).not.toContain(id);
    expect((await ask('ana', 'GET', '/api/me')).status, 'still signed in').toBe(200);
  });

  it('keeps a lead with no end date: the last one cannot leave, end, or step down', async () => {
    const { id } = (await ask('lena', 'POST', '/api/projects', { name: 'Last lead' })).body.project;
    const me = (await ask('lena', 'GET', `/api/projects/${id}`)).body.members[0].id;
    const refusals = [
      await ask('lena', 'DELETE', `/api/projects/${id}/members/${me}`),
      await ask('lena', 'PATCH', `/api/projects/${id}/members/${me}`, { role: 'viewer' }),
      await ask('lena', 'PATCH', `/api/projects/${id}/members/${me}`, { expiresOn: TOMORROW }),
    ];
    for (const refusal of refusals) {
      expect(refusal.status).toBe(409);
      expect(refusal.body.error).toMatch(
        /keeps at least one lead with no end date.*make someone else lead first/,
      );
    }
    await ask('lena', 'POST', `/api/projects/${id}/members`, { subject: 'dora', role: 'lead' });
    expect((await ask('lena', 'PATCH', `/api/projects/${id}/members/${me}`, { role: 'viewer' })).status).toBe(
      200,
    );
    expect((await ask('lena', 'GET', `/api/projects/${id}`)).body.role).toBe('viewer');
  });

  it.each([
    {
      description: 'an unknown field',
      body: { name: 'x', owner: 'me' },
      error: /must NOT have additional properties/,
    },
    {
      description: 'a name too long',
      body: { name: 'x'.repeat(MAX_PROJECT_NAME + 1) },
      error: /must NOT have more than/,
    },
    { description: 'a blank name', body: { name: '   ' }, error: /must have letters in it/ },
    { description: 'a name over two lines', body: { name: 'a\nb' }, error: /fit on one line/ },
    { description: 'a name that is not text', body: { name: 7 }, error: /must be string/ },
    { description: 'no body', body: undefined, error: /body must be object/ },
  ])('refuses a project with $description (400)', async ({ body, error }) => {
    const answer = await ask('lena', 'POST', '/api/projects', body);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatch(error);
  });

  it.each<MemberRefusal>([
    {
      description: 'an unknown role',
      body: { subject: 'x', role: 'admin' },
      status: 400,
      error: /allowed values/,
      recorded: 'not-valid',
    },
    {
      description: 'no one named',
      body: { role: 'viewer' },
      status: 400,
      error: /one of subject .* or email/,
      recorded: 'not-valid',
    },
    {
      description: 'two people named',
      body: { subject: 'x', email: 'x@y.z', role: 'viewer' },
      status: 400,
      error: /one of subject/,
      recorded: 'not-valid',
    },
    {
      description: 'a date that is not a day',
      body: { subject: 'x', role: 'viewer', expiresOn: '2027-02-30' },
      status: 400,
      error: /calendar date/,
      recorded: 'not-valid',
    },
    {
      description: 'an end date today',
      body: { subject: 'x', role: 'viewer', expiresOn: '2026-03-09' },
      status: 422,
      error: /end this access at once/,
      recorded: 'not-verified',
    },
    {
      description: 'an e-mail nobody signed in with',
      body: { email: 'nobody@clinic.test', role: 'viewer' },
      status: 422,
      error: /ask them to sign in once/,
      recorded: 'not-verified',
    },
    {
      description: 'a member already there',
      body: { subject: 'lena', role: 'viewer' },
      status: 409,
      error: /already on the project/,
      recorded: 'conflict',
    },
  ])('refuses to add a member with $description', async ({ body, status, error, recorded }) => {
    const { project } = await projectWith('lena', 'lead');
    const before = await readAudit(db, { project });
    const answer = await ask('lena', 'POST', `/api/projects/${project}/members`, body);
    expect(answer.status).toBe(status);
    expect(answer.body.error).toMatch(error);
    // a body its schema refuses, the request's own checks (one person named, a calendar date, an
    // end date today) and a refusal of the route are attempts on a role, all recorded
    const after = await readAudit(db, { project });
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.slice(before.length).map((e) => [e.kind, e.detail.about, e.detail.reason])).toEqual(
      recorded === undefined ? [] : [['attempt-refused', 'role', recorded]],
    );
  });

  it('refuses a member past the roster’s limit', async () => {
    const { project } = await projectWith('lena', 'lead');
    await db.query(
      `INSERT INTO project_members (id, project_id, issuer, subject, role, added_at)
       SELECT 'filler-' || n, $1, $2, 'filler-' || n, 'viewer', now() FROM generate_series(1, $3::int) AS n`,
      [project, ISSUER, MAX_MEMBERS - 3],
    );
    const last = await ask('lena', 'POST', `/api/projects/${project}/members`, {
      subject: 'ana',
      role: 'viewer',
    });
    expect(last.status).toBe(409);
    expect(last.body.error).toMatch(`at most ${MAX_MEMBERS} members`);
    expect((await membersOf(db, project, now)).length).toBe(MAX_MEMBERS);
  });

  it('does not find a project by a made-up id, nor a member of another project', async () => {
    const one = await projectWith('lena', 'lead');
    const other = await projectWith('lena', 'lead');
    expect((await ask('lena', 'GET', '/api/projects/not-a-project')).status).toBe(404);
    expect((await ask('lena', 'GET', `/api/projects/${crypto.randomUUID()}`)).status).toBe(404);
    const crossed = await ask('lena', 'DELETE', `/api/projects/${one.project}/members/${other.target}`);
    expect(crossed.status).toBe(404);
    expect((await membersOf(db, other.project, now)).some((m) => m.id === other.target)).toBe(true);
  });

  it('refuses a roster change without the session’s CSRF token', async () => {
    const { project, target } = await projectWith('lena', 'lead');
    const response = await fetch(`${server.base}/api/projects/${project}/members/${target}`, {
      method: 'DELETE',
      headers: { cookie: server.cookieOf('lena') },
    });
    expect(response.status).toBe(403);
    expect((await membersOf(db, project, now)).some((m) => m.id === target)).toBe(true);
  });

  it('records who changed what in the audit log, chained, and shows the lead the project’s part', async () => {
    const { id } = (await ask('lena', 'POST', '/api/projects', { name: 'Audited' })).body.project;
    const { member } = (
      await ask('lena', 'POST', `/api/projects/${id}/members`, { subject: 'sam', role: 'viewer' })
    ).body;
    await ask('lena', 'PATCH', `/api/projects/${id}/members/${member.id}`, {
      role: 'steering',
      expiresOn: TOMORROW,
    });
    await ask('lena', 'PATCH', `/api/projects/${id}`, { name: 'Audited go-live' });
    await ask('lena', 'DELETE', `/api/projects/${id}/members/${member.id}`);
    const exported = (await ask('lena', 'GET', `/api/projects/${id}/audit`)).body;
    const { entries } = exported;
    expect(exported.format).toBe('preflight.project-audit/v1');
    expect(firstBrokenProjectEntry(id, entries), 'the export is a whole chain of its own').toBeUndefined();
    const lena = { issuer: ISSUER, subject: 'lena', name: 'Lena Lead' };
    // each entry names the session it was made in, and when its sign-in was (auditEvidence.ts)
    const sessions = new Set(entries.map((e: { detail: Record<string, string> }) => e.detail.session));
    expect([...sessions]).toEqual([expect.stringMatching(/^[0-9a-f]{64}$/)]);
    expect(entries.every((e: { detail: Record<string, string> }) => e.detail.signedInAt !== undefined)).toBe(
      true,
    );
    expect(
      entries.map(
        ({ kind, actor, detail }: { kind: string; actor: unknown; detail: Record<string, string> }) => {
          const { session: _, signedInAt: __, ...rest } = detail;
          return { kind, actor, detail: rest };
        },
      ),
    ).toEqual([
      { kind: 'project-created', actor: lena, detail: { project: id, name: 'Audited' } },
      {
        kind: 'member-added',
        actor: lena,
        detail: {
          project: id,
          member: member.id,
          subject: 'sam',
          memberName: 'Sam Steering',
          role: 'viewer',
          expiresOn: 'none',
        },
      },
      {
        kind: 'member-changed',
        actor: lena,
        detail: {
          project: id,
          member: member.id,
          subject: 'sam',
          memberName: 'Sam Steering',
          role: 'steering',
          previousRole: 'viewer',
          expiresOn: TOMORROW,
          previousExpiresOn: 'none',
        },
      },
      {
        kind: 'project-renamed',
        actor: lena,
        detail: { project: id, name: 'Audited go-live', previousName: 'Audited' },
      },
      {
        kind: 'member-removed',
        actor: lena,
        detail: {
          project: id,
          member: member.id,
          subject: 'sam',
          memberName: 'Sam Steering',
          role: 'steering',
        },
      },
      // the read itself is recorded, and the export ends with that record: its head
      { kind: 'audit-exported', actor: lena, detail: { project: id } },
    ]);
    expect(exported.head).toEqual({
      projectSeq: entries.length,
      hash: entries.at(-1).hash,
      at: entries.at(-1).at,
    });
    expect((await readAudit(db, { project: id })).at(-1)?.hash).toBe(exported.head.hash);
    expect(firstBrokenAuditEntry(await readAudit(db))).toBeUndefined();

    expect(loadProjectAudit(exported), 'what preflight check runs on the file').toMatchObject({ ok: true });
    entries[2].detail.role = 'lead';
    expect(loadProjectAudit(exported)).toMatchObject({
      ok: false,
      problems: [{ path: '/entries/2', code: 'integrity-mismatch' }],
    });
  });
});

const postgresBin = postgresBinDir();

describe.skipIf(postgresBin === undefined)(
  'projects and roles on PostgreSQL: what the database decides',
  () => {
    let db: Database;
    let server: ServerWithPeople<PersonKey>;
    const ask: ServerWithPeople<PersonKey>['ask'] = (...args) => server.ask(...args);

    beforeAll(async () => {
      db = await running().open('postgres');
      server = await serverWithPeople(db, PEOPLE, () => now);
    }, 180_000);
    afterAll(async () => {
      await server?.close();
      await db?.close();
    });

    it('lets one of two leads removing each other at once win, never both', async () => {
      const { id } = (await ask('lena', 'POST', '/api/projects', { name: 'Race' })).body.project;
      const dora = (
        await ask('lena', 'POST', `/api/projects/${id}/members`, { subject: 'dora', role: 'lead' })
      ).body.member;
      const lena = (await ask('lena', 'GET', `/api/projects/${id}`)).body.members.find(
        (m: { subject: string }) => m.subject === 'lena',
      );
      const answers = await Promise.all([
        ask('lena', 'DELETE', `/api/projects/${id}/members/${dora.id}`),
        ask('dora', 'DELETE', `/api/projects/${id}/members/${lena.id}`),
      ]);
      expect(answers.map((a) => a.status).sort()).toEqual([204, 404]);
      expect(await membersOf(db, id, now)).toHaveLength(1);
    });
  },
);
