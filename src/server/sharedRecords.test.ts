/**
 * A shared project's records on the real server, over HTTP, sent and pulled by the app's own sync
 * (the core's queue and the app's HTTP transport). On both engines (the embedded default and a
 * real PostgreSQL), what the database's transaction decides: two people changing one record at
 * once, the second refused with both versions kept until a choice is made. On the embedded
 * database only, what the server's code decides on either: one person's accepted issue reaching
 * another's project; changes made offline sent in order on reconnect; every write an audit
 * entry; and what is never sent — a run's report is kept as its summary and SHA-256s only, a
 * body with record content is refused, and with a canary string in every value of the extract,
 * the report and the event log, no table of the server's database holds it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memorySource } from '../../tests/migration/sources.ts';
import { postgresBinDir } from '../../tests/setup/postgres.ts';
import { applyChanges } from '../core/project/changes.ts';
import {
  emptySyncState,
  pullShared,
  pushQueued,
  queueLocalChanges,
  type RecordSyncState,
  type RecordTransport,
  recordKey,
  reportSummaryOf,
  settleConflict,
} from '../core/teamRecords/index.ts';
import { buildReport, detectLayout, validateInputs } from '../core/validation/index.ts';
import type { Project } from '../formats/project.ts';
import { firstBrokenProjectEntry } from '../formats/projectAudit.ts';
import type { Report } from '../formats/report.ts';
import {
  readSteeringMeeting,
  type SteeringMeeting,
  withSteeringMeeting,
} from '../formats/steeringMeeting.ts';
import {
  fixtureDataset,
  fixtureEmptyProject,
  fixtureLogMap,
  fixtureMapping,
  fixtureProject,
  fixtureSamplePlan,
  fixtureSchema,
} from '../formats/testing/fixtures.ts';
import type { Waiver } from '../formats/waivers.ts';
import { httpRecordTransport } from '../storage/teamServer.ts';
import { CSRF_HEADER, type Database } from './index.ts';
import { addMember, createProject } from './projects.ts';
import { MAX_RECORD_BYTES } from './sharedRecords.ts';
import { fileTestEngines } from './testing/databases.ts';
import { type ServerWithPeople, serverWithPeople, TEST_ISSUER } from './testing/people.ts';

const testEngines = fileTestEngines();
const running = () => testEngines.running();

const START = Date.UTC(2026, 2, 9, 9, 0);
const PEOPLE = {
  lena: 'Lena Lead',
  ana: 'Ana Lyst',
  dora: 'Dora Data',
  sam: 'Sam Steering',
  vic: 'Vic Viewer',
} as const;
type PersonKey = keyof typeof PEOPLE;

const waiver = (rationale: string): Waiver => ({
  id: 'w-dob',
  rule: 'contract.required',
  column: 'dob',
  rationale,
  owner: 'Dora Data',
  expires: '2026-12-31',
});
const withWaivers = (p: Project, waivers: Waiver[]): Project => ({
  ...p,
  meta: { ...p.meta, settings: { ...p.meta.settings, waivers } },
});
const emptyProject = (id: string): Project => fixtureEmptyProject(id, 'Go-live');

/**
 * A server over a fresh `engine` database for the describe it is called in (started before its
 * first case, stopped after its last), and the helpers its cases share.
 */
function sharedRecordServer(engine: 'embedded' | 'postgres') {
  const now = START;
  let db: Database;
  let server: ServerWithPeople<PersonKey>;
  const ask: ServerWithPeople<PersonKey>['ask'] = (...args) => server.ask(...args);

  beforeAll(async () => {
    db = await running().open(engine);
    server = await serverWithPeople(db, PEOPLE, () => now);
  }, 180_000);
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });

  async function teamProject(): Promise<string> {
    return db.transaction(async (tx) => {
      const id = await createProject(tx, { issuer: TEST_ISSUER, subject: 'lena' }, 'Go-live', now);
      for (const [who, role] of [
        ['ana', 'analyst'],
        ['dora', 'data'],
        ['sam', 'steering'],
        ['vic', 'viewer'],
      ] as const)
        await addMember(tx, id, { issuer: TEST_ISSUER, subject: who }, role, null, now);
      return id;
    });
  }

  /** `who`'s way to the server as the app's sync takes it; `network.up = false` fails every call. */
  function transport(who: PersonKey, projectId: string, network = { up: true }): RecordTransport {
    const [name, value] = server.cookieOf(who).split('=') as [string, string];
    return httpRecordTransport(
      {
        base: server.base,
        csrfToken: '',
        fetchImpl: async (input, init) => {
          if (!network.up) throw new TypeError('fetch failed');
          const csrf = (await ask(who, 'GET', '/api/me')).body.csrfToken as string;
          return fetch(input, {
            ...init,
            headers: {
              ...(init?.headers as Record<string, string>),
              cookie: `${name}=${value}`,
              [CSRF_HEADER]: csrf,
            },
          });
        },
      },
      projectId,
    );
  }

  /** One person's copy of the project: its records queued, sent and pulled as the app does. */
  function copyOf(who: PersonKey, projectId: string, start: Project, network = { up: true }) {
    const via = transport(who, projectId, network);
    const copy = {
      project: start,
      state: emptySyncState() as RecordSyncState,
      change(next: Project) {
        copy.project = next;
        copy.state = queueLocalChanges(copy.state, next);
      },
      async sync() {
        const pushed = await pushQueued(copy.state, via);
        copy.state = pushed.state;
        if (pushed.offline) return;
        const pulled = await pullShared(copy.state, copy.project, via);
        copy.state = pulled.state;
        copy.project = applyChanges(copy.project, pulled.changes, '2026-03-09T10:00:00Z');
      },
    };
    return copy;
  }

  return { ask, db: () => db, teamProject, copyOf };
}

/** PostgreSQL where installed (CI installs it); the embedded database always. */
const ENGINES =
  postgresBinDir() === undefined ? (['embedded'] as const) : (['embedded', 'postgres'] as const);

describe.each(ENGINES)('shared records on the %s database: one record changed at once', (engine) => {
  const { ask, teamProject, copyOf } = sharedRecordServer(engine);

  it('refuses a write based on an older version and keeps both until the person chooses', async () => {
    const id = await teamProject();
    const dora = copyOf('dora', id, emptyProject('dora-local'));
    const lena = copyOf('lena', id, emptyProject('lena-local'));
    dora.change(withWaivers(dora.project, [waiver('First reason.')]));
    await dora.sync();
    await lena.sync();
    // both change the same accepted issue before hearing of the other's change
    dora.change(withWaivers(dora.project, [waiver('Dora’s reason.')]));
    lena.change(withWaivers(lena.project, [waiver('Lena’s reason.')]));
    await dora.sync();
    await lena.sync();
    expect(lena.state.conflicts).toHaveLength(1);
    const [conflict] = lena.state.conflicts;
    expect(conflict?.mine.body).toEqual(waiver('Lena’s reason.'));
    expect(conflict?.theirs).toMatchObject({ body: waiver('Dora’s reason.'), by: 'Dora Data', version: 2 });
    // nothing was overwritten, and Lena's copy still shows her version
    const held = await ask('vic', 'GET', `/api/projects/${id}/records/waiver/w-dob`);
    expect(held.body.record.body).toEqual(waiver('Dora’s reason.'));
    expect(lena.project.meta.settings.waivers).toEqual([waiver('Lena’s reason.')]);
    // another sync settles nothing by itself
    await lena.sync();
    expect(lena.state.conflicts).toHaveLength(1);
    // Lena keeps hers: it is sent again, based on Dora's, and Dora's copy takes it
    lena.state = settleConflict(
      lena.state,
      lena.project,
      recordKey(conflict?.mine ?? { kind: '', id: '' }),
      'mine',
    ).state;
    await lena.sync();
    expect(lena.state.conflicts).toEqual([]);
    await dora.sync();
    expect(dora.project.meta.settings.waivers).toEqual([waiver('Lena’s reason.')]);
    // and the other way: Dora takes the server's when hers is stale
    lena.change(withWaivers(lena.project, [waiver('Lena again.')]));
    dora.change(withWaivers(dora.project, [waiver('Dora again.')]));
    await lena.sync();
    await dora.sync();
    const settled = settleConflict(dora.state, dora.project, 'waiver/w-dob', 'theirs');
    dora.state = settled.state;
    dora.project = applyChanges(dora.project, settled.changes, '2026-03-09T11:00:00Z');
    expect(dora.project.meta.settings.waivers).toEqual([waiver('Lena again.')]);
    await dora.sync();
    expect(dora.state.pending).toEqual([]);
    expect(dora.state.conflicts).toEqual([]);
  });
});

describe('shared records on the embedded database', () => {
  const { ask, db, teamProject, copyOf } = sharedRecordServer('embedded');

  it('brings one person’s accepted issue into another’s project, with an audit entry', async () => {
    const id = await teamProject();
    const dora = copyOf('dora', id, emptyProject('dora-local'));
    const lena = copyOf('lena', id, emptyProject('lena-local'));
    dora.change(withWaivers(dora.project, [waiver('Walk-ins have no date of birth.')]));
    expect(dora.state.pending).toHaveLength(1);
    await dora.sync();
    expect(dora.state.pending).toEqual([]);
    await lena.sync();
    expect(lena.project.meta.settings.waivers).toEqual([waiver('Walk-ins have no date of birth.')]);
    const audit = (await ask('lena', 'GET', `/api/projects/${id}/audit`)).body;
    expect(audit.entries.map((e: { kind: string }) => e.kind)).toContain('record-written');
    expect(audit.entries.find((e: { kind: string }) => e.kind === 'record-written').detail).toMatchObject({
      record: 'waiver',
      id: 'w-dob',
      version: '1',
    });
    expect(firstBrokenProjectEntry(id, audit.entries)).toBeUndefined();
  });

  it('agrees a write the server already holds, with no new version and no conflict', async () => {
    const id = await teamProject();
    const dora = copyOf('dora', id, emptyProject('dora-local'));
    const lena = copyOf('lena', id, emptyProject('lena-local'));
    dora.change(withWaivers(dora.project, [waiver('Same words.')]));
    lena.change(withWaivers(lena.project, [waiver('Same words.')]));
    await dora.sync();
    await lena.sync();
    expect(lena.state.conflicts).toEqual([]);
    expect(lena.state.known['waiver/w-dob']).toEqual(dora.state.known['waiver/w-dob']);
    const { body } = await ask('lena', 'GET', `/api/projects/${id}/records`);
    expect(body.head).toBe(1);
  });

  it('keeps changes made offline and sends them in order on reconnect', async () => {
    const id = await teamProject();
    const network = { up: false };
    const dora = copyOf('dora', id, emptyProject('dora-local'), network);
    dora.change({ ...dora.project, schemas: [fixtureSchema('s1')] });
    dora.change({ ...dora.project, datasets: [fixtureDataset('d1', 's1')] });
    dora.change(withWaivers(dora.project, [waiver('Offline reason.')]));
    dora.change(withWaivers(dora.project, [waiver('Offline reason, amended.')]));
    await dora.sync();
    // the two changes of one accepted issue are one write; the order is kept
    expect(dora.state.pending.map((w) => recordKey(w))).toEqual([
      'contract/s1',
      'check-set/d1',
      'waiver/w-dob',
    ]);
    // the queue is plain data: it survives being stored and read back (a reload)
    dora.state = JSON.parse(JSON.stringify(dora.state));
    network.up = true;
    await dora.sync();
    expect(dora.state.pending).toEqual([]);
    const { body } = await ask('lena', 'GET', `/api/projects/${id}/records`);
    expect(
      body.records.map((r: { kind: string; id: string; version: number }) => [r.kind, r.id, r.version]),
    ).toEqual([
      ['contract', 's1', 1],
      ['check-set', 'd1', 2],
      ['waiver', 'w-dob', 3],
    ]);
    expect(body.records[2].body.rationale).toBe('Offline reason, amended.');
  });

  it('refuses a write its role may not make, and keeps it aside with the reason', async () => {
    const id = await teamProject();
    const vic = copyOf('vic', id, emptyProject('vic-local'));
    vic.change(withWaivers(vic.project, [waiver('A viewer’s reason.')]));
    await vic.sync();
    expect(vic.state.pending).toEqual([]);
    expect(vic.state.refused).toEqual([
      expect.objectContaining({
        status: 403,
        reason: expect.stringMatching(/your role on this project \(viewer\)/i),
      }),
    ]);
    expect((await ask('lena', 'GET', `/api/projects/${id}/records`)).body.records).toEqual([]);
  });

  it('lets an analyst share her own run’s summary, and not change one another member shared', async () => {
    const id = await teamProject();
    const report = { ...fixtureProject().reports[0], id: 'r-ana' } as Report & { id: string };
    const ana = copyOf('ana', id, { ...emptyProject('ana-local'), reports: [report] });
    ana.change(ana.project);
    await ana.sync();
    expect(ana.state.pending).toEqual([]);
    expect(ana.state.refused).toEqual([]);
    const summary = reportSummaryOf({ ...report, id: 'r-dora' });
    const put = (who: PersonKey, baseVersion: number, body: unknown) =>
      ask(who, 'PUT', `/api/projects/${id}/records/report-summary/r-dora`, { baseVersion, body });
    expect((await put('dora', 0, summary)).status).toBe(200);
    const changed = await put('ana', 2, { ...summary, generatedAt: '2026-03-10T09:00:00.000Z' });
    expect(changed.status).toBe(403);
    expect(changed.body.error).toMatch(
      /your role on this project \(analyst\) cannot .*another member’s run summaries/,
    );
    const held = (await ask('lena', 'GET', `/api/projects/${id}/records`)).body.records;
    expect(held.map((r: { id: string; by: string; body: unknown }) => [r.id, r.by, r.body])).toEqual([
      ['r-ana', 'Ana Lyst', reportSummaryOf(report)],
      ['r-dora', 'Dora Data', summary],
    ]);
  });

  it('lets the data team decide the data dictionary’s links, and no other readiness record', async () => {
    const id = await teamProject();
    const dora = copyOf('dora', id, emptyProject('dora-local'));
    const dictionary = {
      links: [
        {
          item: 'allergies',
          target: { kind: 'column', dataset: 'patients', column: 'allergy_code' },
          decision: 'confirmed',
          by: 'Dora Data (Data team)',
        },
      ],
    };
    dora.change({
      ...dora.project,
      meta: {
        ...dora.project.meta,
        settings: {
          ...dora.project.meta.settings,
          dataDictionary: dictionary,
          rollbackPlan: { present: true },
        },
      },
    });
    await dora.sync();
    expect(dora.state.pending).toEqual([]);
    expect(dora.state.refused).toEqual([
      expect.objectContaining({
        write: expect.objectContaining({ kind: 'readiness-record', id: 'rollbackPlan' }),
        status: 403,
        reason: expect.stringMatching(
          /your role on this project \(data\) cannot change this project’s readiness records/,
        ),
      }),
    ]);
    const held = (await ask('lena', 'GET', `/api/projects/${id}/records`)).body.records;
    expect(held.map((r: { kind: string; id: string; by: string }) => [r.kind, r.id, r.by])).toEqual([
      ['readiness-record', 'dataDictionary', 'Dora Data'],
    ]);
    expect(held[0].body).toEqual(dictionary);
  });

  it('keeps one go/no-go meeting for the team: the lead calls it, the committee records it, the data team cannot', async () => {
    const id = await teamProject();
    const lena = copyOf('lena', id, emptyProject('lena-local'));
    const sam = copyOf('sam', id, emptyProject('sam-local'));
    const dora = copyOf('dora', id, emptyProject('dora-local'));
    const withMeeting = (p: Project, meeting: SteeringMeeting) => ({
      ...p,
      meta: { ...p.meta, settings: withSteeringMeeting(p.meta.settings, meeting) },
    });
    const called: SteeringMeeting = {
      attendees: [{ name: 'Sam Steering', role: 'CMIO', steering: true, attended: false }],
      quorum: { minSteering: 1 },
      conditions: [],
    };
    lena.change(withMeeting(lena.project, called));
    await lena.sync();
    await sam.sync();
    expect(readSteeringMeeting(sam.project.meta.settings)).toEqual(called);
    const held: SteeringMeeting = {
      ...called,
      attendees: [{ name: 'Sam Steering', role: 'CMIO', steering: true, attended: true }],
      conditions: [{ text: 'Pharmacy list rechecked', owner: 'Lee Park' }],
    };
    sam.change(withMeeting(sam.project, held));
    await sam.sync();
    expect(sam.state.refused).toEqual([]);
    await lena.sync();
    expect(readSteeringMeeting(lena.project.meta.settings)).toEqual(held);

    // the data team's own meeting is refused; her copy then shows the team's
    const hers: SteeringMeeting = { attendees: [], conditions: [{ text: 'Her own' }] };
    const refused = await ask('dora', 'PUT', `/api/projects/${id}/records/readiness-record/steeringMeeting`, {
      baseVersion: 2,
      body: hers,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatch(
      /your role on this project \(data\) cannot record this project’s go\/no-go meeting/,
    );
    dora.change(withMeeting(dora.project, hers));
    await dora.sync();
    expect(readSteeringMeeting(dora.project.meta.settings)).toEqual(held);
    const records = (await ask('lena', 'GET', `/api/projects/${id}/records`)).body.records;
    expect(records.map((r: { kind: string; id: string; by: string }) => [r.kind, r.id, r.by])).toEqual([
      ['readiness-record', 'steeringMeeting', 'Sam Steering'],
    ]);
  });

  it('refuses record content and oversized bodies, naming the field, never its value', async () => {
    const id = await teamProject();
    const put = (kind: string, recordId: string, body: unknown) =>
      ask('lena', 'PUT', `/api/projects/${id}/records/${kind}/${recordId}`, { baseVersion: 0, body });
    const report = fixtureProject().reports[0];
    const withExamples = await put('report-summary', 'r1', report);
    expect(withExamples.status).toBe(400);
    expect(withExamples.body.error).toMatch(/never sent to the team server/);
    expect(withExamples.body.error).not.toContain('01/02/1980');
    const hidden = await put('readiness-record', 'rollbackPlan', {
      present: true,
      note: { examples: ['x'] },
    });
    expect(hidden.status).toBe(400);
    expect(hidden.body.error).toMatch(/\/note\/examples/);
    const whole = await put('readiness-record', 'trainingRecord', { format: 'preflight.report/v1' });
    expect(whole.status).toBe(400);
    const malformed = await put('waiver', 'w1', { id: 'w1', rule: 'x' });
    expect(malformed.status).toBe(422);
    const otherId = await put('waiver', 'w2', waiver('Mismatched id.'));
    expect(otherId.status).toBe(422);
    const big = await put('contract', 's1', {
      ...fixtureSchema('s1'),
      schema: { type: 'object', description: 'x'.repeat(MAX_RECORD_BYTES) },
    });
    expect(big.status).toBe(413);
    expect((await ask('lena', 'GET', `/api/projects/${id}/records`)).body.records).toEqual([]);
  });

  it('refuses a request its route’s contract does not allow, in the words it always had', async () => {
    const id = await teamProject();
    const records = `/api/projects/${id}/records`;
    for (const { path, method, body, error } of [
      {
        method: 'GET',
        path: `${records}?after=x`,
        error: 'querystring/after must match pattern "^[0-9]{1,15}$"',
      },
      {
        method: 'GET',
        path: `${records}/no-kind/a`,
        error: 'params/kind must be equal to one of the allowed values',
      },
      {
        method: 'PUT',
        path: `${records}/waiver/a`,
        body: { baseVersion: 'x', body: {} },
        error: 'body/baseVersion must be integer',
      },
      {
        method: 'PUT',
        path: `${records}/waiver/a`,
        body: { baseVersion: 0 },
        error: "body must have required property 'body'",
      },
      {
        method: 'PUT',
        path: `${records}/waiver/a`,
        body: { baseVersion: 0, body: {}, more: 1 },
        error: 'body must NOT have additional properties',
      },
    ] as const)
      expect(await ask('lena', method, path, body), `${method} ${path}`).toMatchObject({
        status: 400,
        body: { error },
      });
  });

  it('holds nothing of the extract, the report or the event log: a canary in every value never reaches a table', async () => {
    const CANARY = 'CANARY-7f3e9c';
    const id = await teamProject();
    // an extract whose every cell holds the canary, validated by the core as the app runs it
    const rows = Array.from({ length: 6 }, (_, i) => `${CANARY}-mrn-${i % 3},${CANARY}-dob-${i}`);
    const source = memorySource('patients.csv', new TextEncoder().encode(`mrn,dob\n${rows.join('\n')}\n`));
    const results = await validateInputs(
      [{ source, layout: await detectLayout(source), keys: [{ column: 'mrn' }] }],
      [],
      {},
    );
    const report = buildReport(results, {
      generatedAt: '2026-03-09T09:30:00Z',
      startedAt: '2026-03-09T09:30:00Z',
      totalMs: 1,
      toolVersion: '0.1.0',
    });
    expect(JSON.stringify(report)).toContain(CANARY);
    // an event log's activities, as the kept process map holds them
    const logMap = fixtureLogMap();
    logMap.map.activities = logMap.map.activities.map((a, i) => ({
      ...a,
      name: `${CANARY} activity ${i}`,
    }));
    const base = fixtureProject('lena-local');
    const project: Project = {
      ...base,
      reports: [{ ...report, id: 'r-canary' }, ...base.reports],
      logMaps: [logMap],
      datasets: [fixtureDataset('d1', 's1')],
      schemas: [fixtureSchema('s1')],
      mappings: [fixtureMapping('m1')],
      samplePlans: [fixtureSamplePlan('p1')],
      meta: {
        ...base.meta,
        settings: {
          ...base.meta.settings,
          waivers: [waiver('Walk-ins.')],
          rollbackPlan: { present: true },
          readinessGates: { minValidShare: 0.95 },
        },
      },
    };
    expect(JSON.stringify(project)).toContain(CANARY);
    const lena = copyOf('lena', id, emptyProject('lena-local'));
    lena.change(project);
    await lena.sync();
    expect(lena.state.refused).toEqual([]);
    expect(lena.state.pending).toEqual([]);
    const kinds = new Set(
      (await ask('lena', 'GET', `/api/projects/${id}/records`)).body.records.map(
        (r: { kind: string }) => r.kind,
      ),
    );
    expect([...kinds].sort()).toEqual(
      [
        'check-set',
        'contract',
        'mapping',
        'readiness-record',
        'report-summary',
        'sample-plan',
        'waiver',
      ].sort(),
    );
    const summary = (await ask('lena', 'GET', `/api/projects/${id}/records/report-summary/r-canary`)).body
      .record;
    expect(summary.body.summary).toEqual(report.summary);
    expect(summary.body.sha256).toMatch(/^[0-9a-f]{64}$/);

    const tables = await db().query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
    );
    expect(tables.map((t) => t.table_name)).toContain('shared_records');
    for (const { table_name } of tables) {
      const dumped = JSON.stringify(await db().query(`SELECT * FROM "${table_name}"`));
      expect(dumped, `table ${table_name}`).not.toContain(CANARY);
    }
  });
});
