/**
 * Shared workflows on the real server, over HTTP. On both engines (the embedded default and a
 * real PostgreSQL), what the workflow's row lock decides: two or three people's copies (the
 * core's SharedWorkflowCopy, as the app uses it) pushing at once, every edit kept. On the
 * embedded database only, what the server's code decides on either: a viewer who reads but
 * cannot write; a member removed mid-session, or past their end date, cut off at the next
 * request; edits made offline sent on reconnect, once even when sent twice; named versions
 * compared and restored as a new change; the audit entries in the project's chain; and the bounds.
 *
 * People are signed in with the server's own `signIn` (testing/people.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresBinDir } from '../../tests/setup/postgres.ts';
import { applyEdit, type WorkflowEdit } from '../core/workflow/edit/index.ts';
import { analyzeWorkflow } from '../core/workflow/index.ts';
import {
  compareVersions,
  type PendingChange,
  SharedWorkflowCopy,
  type SharedWorkflowTransport,
  type SyncAnswer,
} from '../core/workflow/shared/index.ts';
import { firstBrokenProjectEntry } from '../formats/projectAudit.ts';
import { fixtureWorkflow } from '../formats/testing/fixtures.ts';
import type { Workflow } from '../formats/workflow.ts';
import type { Database, Role } from './index.ts';
import { addMember, createProject } from './projects.ts';
import { MAX_CHANGES_PER_PUSH, MAX_SHARED_WORKFLOW_BYTES } from './sharedWorkflows.ts';
import { fileTestEngines } from './testing/databases.ts';
import { type ServerWithPeople, serverWithPeople, TEST_ISSUER } from './testing/people.ts';

const testEngines = fileTestEngines();
const running = () => testEngines.running();

const START = Date.UTC(2026, 2, 9, 23, 45);
const TOMORROW = '2026-03-10';
const PAST_MIDNIGHT = 20 * 60 * 1000;
const ISSUER = TEST_ISSUER;
const PEOPLE = { lena: 'Lena Lead', ana: 'Ana Lyst', ben: 'Ben Lyst', vic: 'Vic Viewer' } as const;
type PersonKey = keyof typeof PEOPLE;

const edited = (w: Workflow, ...edits: WorkflowEdit[]) =>
  edits.reduce((acc, edit) => applyEdit(acc, edit).workflow, w);

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

let now = START;

/**
 * A server over a fresh `engine` database for the describe it is called in (started before its
 * first case, stopped after its last), and the helpers its cases share.
 */
function sharedWorkflowServer(engine: 'embedded' | 'postgres') {
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

  /** `who`'s way to the server for one workflow; `network.up = false` fails every call. */
  function transport(who: PersonKey, project: string, workflow: string, network = { up: true }) {
    const path = `/api/projects/${project}/workflows/${encodeURIComponent(workflow)}/changes`;
    const answer = async (method: string, url: string, body?: unknown): Promise<SyncAnswer> => {
      if (!network.up) throw new TypeError('fetch failed');
      const { status, body: got } = await ask(who, method, url, body);
      if (status !== 200) throw new HttpError(status, got?.error);
      return got;
    };
    const used: SharedWorkflowTransport = {
      pull: (after) => answer('GET', `${path}?after=${after}`),
      push: (after, changes: readonly PendingChange[]) => answer('POST', path, { after, changes }),
    };
    return used;
  }

  /** A project of Lena's with `members`, its intake workflow shared by Lena. */
  async function sharedProject(members: Partial<Record<PersonKey, Role>>, expiresOn: string | null = null) {
    const project = await db.transaction(async (tx) => {
      const id = await createProject(tx, { issuer: ISSUER, subject: 'lena' }, 'Go-live', now);
      const ids: Partial<Record<PersonKey, string>> = {};
      for (const [who, role] of Object.entries(members))
        ids[who as PersonKey] = await addMember(
          tx,
          id,
          { issuer: ISSUER, subject: who },
          role,
          expiresOn,
          now,
        );
      return { id, members: ids };
    });
    const shared = await ask('lena', 'POST', `/api/projects/${project.id}/workflows`, {
      workflow: fixtureWorkflow('intake'),
    });
    expect(shared.status).toBe(201);
    return project;
  }

  async function open(who: PersonKey, project: string, network = { up: true }) {
    const got = await ask(who, 'GET', `/api/projects/${project}/workflows/intake`);
    expect(got.status).toBe(200);
    return {
      copy: SharedWorkflowCopy.opened(who, got.body.workflow, got.body.head),
      server: transport(who, project, 'intake', network),
    };
  }

  const stored = async (project: string) =>
    (await ask('lena', 'GET', `/api/projects/${project}/workflows/intake`)).body.workflow as Workflow;
  return { ask, sharedProject, open, stored };
}

const stepOf = (w: Workflow, id: string) => w.steps.find((s) => s.id === id);

/** PostgreSQL where installed (CI installs it); the embedded database always. */
const ENGINES =
  postgresBinDir() === undefined ? (['embedded'] as const) : (['embedded', 'postgres'] as const);

describe.each(ENGINES)(
  'shared workflows on the %s database: pushes at once, in the row lock’s order',
  (engine) => {
    const { ask, sharedProject, open, stored } = sharedWorkflowServer(engine);

    it('keeps both analysts’ edits when they change one workflow at the same time', async () => {
      const { id } = await sharedProject({ ana: 'analyst', ben: 'analyst' });
      const ana = await open('ana', id);
      const ben = await open('ben', id);
      // both edit the same starting workflow before either hears of the other
      ana.copy.change(
        edited(
          ana.copy.workflow,
          { type: 'step/update', id: 'form', patch: { label: 'Intake form on tablet', medium: 'digital' } },
          { type: 'lane/add', lane: { id: 'md', name: 'Physician', staff: 1 } },
        ),
      );
      ben.copy.change(
        edited(
          ben.copy.workflow,
          { type: 'step/update', id: 'form', patch: { touchMin: 2 } },
          { type: 'step/update', id: 'vitals', patch: { clicks: 12 } },
        ),
      );
      await Promise.all([ana.copy.sync(ana.server), ben.copy.sync(ben.server)]);
      await Promise.all([ana.copy.sync(ana.server), ben.copy.sync(ben.server)]);

      const merged = await stored(id);
      expect(stepOf(merged, 'form')).toMatchObject({
        label: 'Intake form on tablet',
        medium: 'digital',
        touchMin: 2,
      });
      expect(stepOf(merged, 'vitals')?.clicks).toBe(12);
      expect(merged.lanes.map((l) => l.id)).toContain('md');
      expect(ana.copy.workflow).toEqual(merged);
      expect(ben.copy.workflow).toEqual(merged);
      expect(ana.copy.pending).toEqual([]);
      const list = await ask('ben', 'GET', `/api/projects/${id}/workflows`);
      expect(list.body.workflows).toEqual([
        expect.objectContaining({
          id: 'intake',
          name: 'Patient intake (current)',
          state: 'current',
          head: 2,
        }),
      ]);
    });

    it('converges three copies pushing at once, round after round, keeping every edit', async () => {
      const { id } = await sharedProject({ ana: 'analyst', ben: 'analyst' });
      const people = ['ana', 'ben', 'lena'] as const;
      const copies = await Promise.all(people.map((who) => open(who, id)));
      const steps = fixtureWorkflow().steps.map((s) => s.id);
      for (let round = 1; round <= 3; round++) {
        copies.forEach(({ copy }, i) => {
          // each person changes "their" steps (every third one) and adds one of their own
          const edits: WorkflowEdit[] = steps
            .filter((_, at) => at % 3 === i)
            .map((step) => ({ type: 'step/update', id: step, patch: { touchMin: round * 10 + i } }));
          const mine = {
            ...fixtureWorkflow().steps[1],
            id: `${people[i]}-${round}`,
            label: `Round ${round}`,
          };
          copy.change(edited(copy.workflow, ...edits, { type: 'step/add', step: mine as never }));
        });
        await Promise.all(copies.map(({ copy, server }) => copy.sync(server)));
      }
      await Promise.all(copies.map(({ copy, server }) => copy.sync(server)));
      const merged = await stored(id);
      for (const { copy } of copies) expect(copy.workflow).toEqual(merged);
      steps.forEach((step, at) => {
        expect(stepOf(merged, step)?.touchMin).toBe(30 + (at % 3));
      });
      for (const who of people)
        for (const round of [1, 2, 3])
          expect(stepOf(merged, `${who}-${round}`)?.label).toBe(`Round ${round}`);
    });

    it('reads a member’s role at each request: made viewer, removed or past the end date, cut off', async () => {
      const { id, members } = await sharedProject({ ana: 'analyst', ben: 'analyst' });
      const ben = await open('ben', id);
      ben.copy.change(edited(ben.copy.workflow, { type: 'step/update', id: 'form', patch: { touchMin: 5 } }));
      await ben.copy.sync(ben.server);
      expect(stepOf(await stored(id), 'form')?.touchMin).toBe(5);

      // made viewer, his next push is refused; analyst again, it is taken: the role is read in the
      // transaction of each request, not kept from the session's start
      const asViewer = await ask('lena', 'PATCH', `/api/projects/${id}/members/${members.ben}`, {
        role: 'viewer',
      });
      expect(asViewer.status).toBe(200);
      ben.copy.change(edited(ben.copy.workflow, { type: 'step/update', id: 'form', patch: { touchMin: 7 } }));
      expect(await ben.copy.sync(ben.server).catch((e: HttpError) => e.status)).toBe(403);
      expect(
        (await ask('lena', 'PATCH', `/api/projects/${id}/members/${members.ben}`, { role: 'analyst' }))
          .status,
      ).toBe(200);
      await ben.copy.sync(ben.server);
      expect(stepOf(await stored(id), 'form')?.touchMin).toBe(7);

      expect((await ask('lena', 'DELETE', `/api/projects/${id}/members/${members.ben}`)).status).toBe(204);
      ben.copy.change(edited(ben.copy.workflow, { type: 'step/update', id: 'form', patch: { touchMin: 6 } }));
      expect(await ben.copy.sync(ben.server).catch((e: HttpError) => e.status)).toBe(404);
      expect(ben.copy.pending, 'kept on his machine, never stored').toHaveLength(1);
      expect(stepOf(await stored(id), 'form')?.touchMin).toBe(7);
      expect((await ask('ben', 'GET', `/api/projects/${id}/workflows/intake`)).status).toBe(404);
      expect((await ask('ben', 'GET', `/api/projects/${id}/workflows`)).status).toBe(404);
      expect((await ask('vic', 'GET', `/api/projects/${id}/workflows/intake`)).status, 'never a member').toBe(
        404,
      );

      const later = await sharedProject({ ana: 'analyst' }, TOMORROW);
      const ana = await open('ana', later.id);
      now += PAST_MIDNIGHT;
      try {
        expect(await ana.copy.sync(ana.server).catch((e: HttpError) => e.status)).toBe(404);
      } finally {
        now -= PAST_MIDNIGHT;
      }
    });
  },
);

describe('shared workflows on the embedded database', () => {
  const { ask, sharedProject, open, stored } = sharedWorkflowServer('embedded');

  it('shows a flow drawn to a step the other analyst removed, and repairs nothing', async () => {
    const { id } = await sharedProject({ ana: 'analyst', ben: 'analyst' });
    const ana = await open('ana', id);
    const ben = await open('ben', id);
    ana.copy.change(
      edited(ana.copy.workflow, {
        type: 'flow/add',
        flow: { from: 'arrive', to: 'vitals', transfer: 'none' },
      }),
    );
    ben.copy.change(edited(ben.copy.workflow, { type: 'step/remove', id: 'vitals' }));
    await ben.copy.sync(ben.server);
    await ana.copy.sync(ana.server);
    await ben.copy.sync(ben.server);
    const merged = await stored(id);
    expect(stepOf(merged, 'vitals')).toBeUndefined();
    expect(merged.flows).toContainEqual({ from: 'arrive', to: 'vitals', transfer: 'none' });
    expect(ben.copy.workflow).toEqual(merged);
    const checks = analyzeWorkflow(merged)
      .findings.filter((f) => f.rule === 'structure')
      .map((f) => f.evidence.check);
    expect(checks).toContain('missing-step');
  });

  it('lets a viewer read the workflow and refuses her changes', async () => {
    const { id } = await sharedProject({ vic: 'viewer' });
    const vic = await open('vic', id);
    vic.copy.change(edited(vic.copy.workflow, { type: 'step/update', id: 'form', patch: { touchMin: 99 } }));
    const refused = await vic.copy.sync(vic.server).catch((e: HttpError) => e);
    expect(refused).toMatchObject({
      status: 403,
      message: expect.stringMatching(/your role on this project \(viewer\) cannot share, change/),
    });
    expect(stepOf(await stored(id), 'form')?.touchMin).not.toBe(99);
    expect(
      (await ask('vic', 'POST', `/api/projects/${id}/workflows/intake/versions`, { name: 'Mine' })).status,
    ).toBe(403);
    expect(
      (await ask('vic', 'POST', `/api/projects/${id}/workflows`, { workflow: fixtureWorkflow('other') }))
        .status,
    ).toBe(403);
    expect((await ask('vic', 'GET', `/api/projects/${id}/workflows/intake/changes?after=0`)).status).toBe(
      200,
    );
  });

  it('sends edits made offline on reconnect, none lost and none twice', async () => {
    const { id } = await sharedProject({ ana: 'analyst', ben: 'analyst' });
    const network = { up: true };
    const ana = await open('ana', id, network);
    const ben = await open('ben', id);
    network.up = false;
    ana.copy.change(edited(ana.copy.workflow, { type: 'step/update', id: 'form', patch: { waitMin: 3 } }));
    await expect(ana.copy.sync(ana.server)).rejects.toThrow('fetch failed');
    ana.copy.change(
      edited(ana.copy.workflow, {
        type: 'step/update',
        id: 'vitals',
        patch: { enters: ['vitals', 'weight'] },
      }),
    );
    // what the app keeps while offline survives a reload: the copy is rebuilt from its state
    const reloaded = new SharedWorkflowCopy(JSON.parse(JSON.stringify(ana.copy.snapshot())));
    ben.copy.change(
      edited(ben.copy.workflow, { type: 'step/update', id: 'arrive', patch: { label: 'Patient checks in' } }),
    );
    await ben.copy.sync(ben.server);

    network.up = true;
    // the first push's answer is lost on the way back: the copy sends the same changes again
    await ana.server.push(reloaded.head, reloaded.pending);
    await reloaded.sync(ana.server);
    await ben.copy.sync(ben.server);
    const merged = await stored(id);
    expect(stepOf(merged, 'form')?.waitMin).toBe(3);
    expect(stepOf(merged, 'vitals')?.enters).toEqual(['vitals', 'weight']);
    expect(stepOf(merged, 'arrive')?.label).toBe('Patient checks in');
    expect(reloaded.workflow).toEqual(merged);
    expect(ben.copy.workflow).toEqual(merged);
    const { body } = await ask('lena', 'GET', `/api/projects/${id}/workflows/intake/changes?after=0`);
    expect(body.changes.map((c: { author: string }) => c.author)).toEqual([
      'Ben Lyst',
      'Ana Lyst',
      'Ana Lyst',
    ]);
  });

  it('names, compares and restores versions, a restore being one more change', async () => {
    const { id } = await sharedProject({ ana: 'analyst' });
    const ana = await open('ana', id);
    const path = `/api/projects/${id}/workflows/intake/versions`;
    const first = await ask('ana', 'POST', path, { name: '  Agreed with the nurses  ' });
    expect(first.status).toBe(201);
    expect(first.body.version).toMatchObject({
      name: 'Agreed with the nurses',
      head: 0,
      namedBy: 'Ana Lyst',
    });
    ana.copy.change(edited(ana.copy.workflow, { type: 'step/update', id: 'form', patch: { touchMin: 1 } }));
    ana.copy.change(edited(ana.copy.workflow, { type: 'step/remove', id: 'scan-card' }));
    await ana.copy.sync(ana.server);
    const second = await ask('ana', 'POST', path, { name: 'After the pilot' });
    expect((await ask('ana', 'GET', path)).body.versions.map((v: { name: string }) => v.name)).toEqual([
      'Agreed with the nurses',
      'After the pilot',
    ]);

    const [a, b] = await Promise.all(
      [first, second].map(
        async (v) => (await ask('ana', 'GET', `${path}/${v.body.version.id}`)).body.workflow,
      ),
    );
    const compared = compareVersions(a, b);
    expect(
      compared.matches.find((m) => m.current.stepId === 'form')?.changes.map((c) => c.attribute),
    ).toEqual(['touchMin']);
    expect(compared.removed.retired.map((r) => r.step.stepId)).toEqual(['scan-card']);

    const restored = await ask('ana', 'POST', `${path}/${first.body.version.id}/restore`, {
      after: ana.copy.head,
    });
    expect(restored.status).toBe(200);
    ana.copy.hear(restored.body);
    expect(ana.copy.workflow).toEqual(await stored(id));
    expect(await stored(id)).toEqual(a);
    const history = await ask('ana', 'GET', `/api/projects/${id}/workflows/intake/changes?after=0`);
    expect(history.body.changes, 'the restore is added; the changes before it stay').toHaveLength(3);

    const audit = await ask('lena', 'GET', `/api/projects/${id}/audit`);
    const kinds = audit.body.entries.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual([
      'workflow-shared',
      'workflow-version-named',
      'workflow-version-named',
      'workflow-restored',
      // the export ends with the server's own record of it
      'audit-exported',
    ]);
    expect(firstBrokenProjectEntry(id, audit.body.entries)).toBeUndefined();
  });

  it('refuses changes out of bounds, malformed or with values the format refuses', async () => {
    const { id } = await sharedProject({ ana: 'analyst' });
    const path = `/api/projects/${id}/workflows/intake/changes`;
    const push = (changes: unknown) => ask('ana', 'POST', path, { after: 0, changes });
    const tooMany = Array.from({ length: MAX_CHANGES_PER_PUSH + 1 }, (_, i) => ({ id: `c${i}`, ops: [] }));
    expect((await push(tooMany)).status).toBe(400);
    const badField = await push([
      { id: 'x', ops: [{ op: 'step/set', id: 'form', field: '__proto__', value: 1 }] },
    ]);
    expect(badField).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/cannot set the field/) },
    });
    const badValue = await push([
      { id: 'y', ops: [{ op: 'step/set', id: 'form', field: 'touchMin', value: -3 }] },
    ]);
    expect(badValue).toMatchObject({
      status: 422,
      body: { error: expect.stringMatching(/\/steps\/1\/touchMin/) },
    });
    const nul = await push([
      { id: 'z', ops: [{ op: 'step/set', id: 'form', field: 'label', value: 'a\u0000b' }] },
    ]);
    expect(nul.status).toBe(400);
    const huge = 'x'.repeat(MAX_SHARED_WORKFLOW_BYTES / 4);
    const bigNotes = await push([
      { id: 'big-1', ops: [{ op: 'step/set', id: 'form', field: 'notes', value: huge }] },
      { id: 'big-2', ops: [{ op: 'step/set', id: 'vitals', field: 'notes', value: huge }] },
      { id: 'big-3', ops: [{ op: 'step/set', id: 'arrive', field: 'notes', value: huge }] },
      { id: 'big-4', ops: [{ op: 'step/set', id: 'roomed', field: 'notes', value: huge }] },
    ]);
    expect(bigNotes.status).toBe(413);
    expect(
      (await ask('ana', 'GET', `${path}?after=0`)).body.changes,
      'a refused push stores nothing',
    ).toEqual([]);
    expect((await ask('ana', 'GET', `/api/projects/${id}/workflows/nope`)).status).toBe(404);
  });
});
