/**
 * The shared records' table, guard and queue without a server: every kind read out of a project
 * and put back gives the same project; the never-sent guard's table (what it refuses, what it
 * lets through); a report kept as its summary only; and the queue — two changes of one record
 * become one write, a removal is queued, a write refused for what it is is not sent again until
 * it changes. The server side of the same sync is src/server/sharedRecords.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Project } from '../../formats/project.ts';
import type { RollbackPlan } from '../../formats/rollbackPlan.ts';
import type { Roster, RosterChange, RosterMember } from '../../formats/roster.ts';
import { fixtureProject, fixtureReport } from '../../formats/testing/fixtures.ts';
import type { Waiver } from '../../formats/waivers.ts';
import { applyChanges } from '../project/changes.ts';
import { LEAD, REVIEWER, rosterState } from '../signoff/signing/index.ts';
import {
  emptySyncState,
  fetchShared,
  KIND_RULES,
  localRecords,
  type PendingWrite,
  pullShared,
  pushQueued,
  putRecords,
  queueLocalChanges,
  RecordRefusal,
  type RecordSyncState,
  type RecordTransport,
  recordContentProblem,
  recordKey,
  recordSha256,
  reportSummaryOf,
  SHARED_RECORD_KINDS,
  type SharedRecord,
  settleConflict,
} from './index.ts';

const waiver = (id: string, rationale = 'Walk-ins have none.'): Waiver => ({
  id,
  rule: 'contract.required',
  column: 'dob',
  rationale,
  owner: 'Dora Data',
  expires: '2026-12-31',
});
const project = () => {
  const p = fixtureProject();
  return {
    ...p,
    meta: {
      ...p.meta,
      settings: {
        ...p.meta.settings,
        waivers: [waiver('w1')],
        rollbackPlan: { present: true },
        // the data dictionary travels as a readiness record: every person of the team reads its links
        dataDictionary: {
          links: [
            {
              item: 'allergies',
              target: { kind: 'column', dataset: 'pts', column: 'allergy_code' },
              decision: 'confirmed',
              by: 'Data lead',
            },
          ],
        },
      },
    },
  };
};

describe('the kinds of shared record', () => {
  it.each(SHARED_RECORD_KINDS)(
    '%s: each record of a project is well formed, and putting it back changes nothing',
    (kind) => {
      const p = project();
      const rule = KIND_RULES[kind];
      for (const { id, body } of rule.recordsOf(p)) {
        expect(rule.problem(body, id), `${kind} ${id}`).toBeUndefined();
        expect(recordContentProblem(body), `${kind} ${id}`).toBeUndefined();
        const put = rule.put?.(p, id, body);
        if (put) expect(rule.recordsOf(applyChanges(p, put, p.meta.updatedAt))).toEqual(rule.recordsOf(p));
      }
    },
  );

  it('refuses a data dictionary its schema refuses, at its place', () => {
    const rule = KIND_RULES['readiness-record'];
    expect(rule.recordsOf(project()).map((r) => r.id)).toContain('dataDictionary');
    expect(
      rule.problem(
        { links: [{ item: 'allergies', target: { kind: 'column' }, decision: 'maybe' }] },
        'dataDictionary',
      ),
    ).toBe('/links/0/decision');
  });

  it('puts pulled records into the project as it is now, over an edit made meanwhile', () => {
    const before = project();
    // the person added a gate while the round was away
    const now = {
      ...before,
      meta: { ...before.meta, settings: { ...before.meta.settings, readinessGates: { minValidShare: 0.9 } } },
    };
    const changes = putRecords(
      now,
      [
        { kind: 'waiver', id: 'w2', body: waiver('w2') },
        { kind: 'readiness-record', id: 'trainingRecord', body: null },
      ],
      now.meta.updatedAt,
    );
    const after = applyChanges(now, changes, now.meta.updatedAt);
    expect(after.meta.settings.readinessGates).toEqual({ minValidShare: 0.9 });
    expect((after.meta.settings.waivers as Waiver[]).map((w) => w.id)).toEqual(['w1', 'w2']);
  });

  it('keeps a report as its counts and hashes, and refuses the report itself', () => {
    const report = fixtureReport('r1');
    const summary = reportSummaryOf(report);
    expect(Object.keys(summary).sort()).toEqual([
      'generatedAt',
      'id',
      'inputs',
      'problems',
      'sha256',
      'summary',
    ]);
    expect(JSON.stringify(summary)).not.toContain('01/02/1980');
    expect(KIND_RULES['report-summary'].problem(summary, 'r1')).toBeUndefined();
    expect(KIND_RULES['report-summary'].problem({ ...summary, issues: [] }, 'r1')).toBe('/issues');
    expect(recordContentProblem(summary)).toBeUndefined();
    expect(recordContentProblem(report)).toMatch(/^\/format: a whole report is never sent/);
  });

  it('keeps each problem of a run as rule, place, severity, count and file, and nothing more', () => {
    const summary = reportSummaryOf(fixtureReport('r1'));
    const [first] = summary.problems ?? [];
    expect(first).toBeDefined();
    expect(
      Object.keys(first ?? {}).every((k) => ['rule', 'location', 'severity', 'count', 'file'].includes(k)),
    ).toBe(true);
    expect(summary.inputs[0]).toMatchObject({ kind: 'csv' });
    const check = (body: unknown) => KIND_RULES['report-summary'].problem(body, 'r1');
    expect(check({ ...summary, problems: [{ ...first, message: 'a' }] })).toBe('/problems/0/message');
    expect(check({ ...summary, problems: [{ ...first, file: summary.inputs.length }] })).toBe(
      '/problems/0/file',
    );
    expect(check({ ...summary, problems: [{ ...first, severity: 'bad' }] })).toBe('/problems/0/severity');
    expect(check({ ...summary, inputs: [{ ...summary.inputs[0], kind: 'xlsx' }] })).toBe('/inputs/0/kind');
    // a summary shared before problems, kinds and contracts were kept is still kept
    const { problems: _, ...older } = summary;
    const inputs = older.inputs.map(({ kind: _k, schema: _s, ...input }) => input);
    expect(check({ ...older, inputs })).toBeUndefined();
    expect(check({ ...older, problemsLeftOut: 2500 })).toBeUndefined();
  });

  it.each([
    { description: 'examples', body: { a: { examples: [{ value: 'x' }] } }, place: '/a/examples' },
    { description: 'failing rows', body: { failingRows: [] }, place: '/failingRows' },
    { description: 'event-log events', body: { log: [{ events: [] }] }, place: '/log/0/events' },
    { description: 'profiles', body: { profiles: [] }, place: '/profiles' },
    { description: 'a review packet', body: { format: 'preflight.reviewpacket/v1' }, place: '/format' },
  ])('refuses a body with $description, naming the place only', ({ body, place }) => {
    const problem = recordContentProblem(body);
    expect(problem?.startsWith(place)).toBe(true);
    expect(problem).not.toContain('"x"');
  });

  it('lets through what a record is made of: row ranges, counts, column names', () => {
    expect(recordContentProblem({ ...waiver('w1'), rows: [{ from: 1, to: 3 }] })).toBeUndefined();
    expect(recordContentProblem(localRecords(project()).map((r) => r.body))).toBeUndefined();
  });
});

/** A server in memory with the real one's version rule; `refuse` refuses kinds as a role would. */
function memoryServer(refuse: ReadonlySet<string> = new Set()) {
  const held = new Map<string, { version: number; sha256: string; body: unknown }>();
  let head = 0;
  const sent: PendingWrite[] = [];
  const transport: RecordTransport = {
    // what came after `after`, each record at its last write, in order
    async pull(after) {
      const records = [...held]
        .filter(([, r]) => r.version > after)
        .map(([key, r]): SharedRecord => {
          const [kind, ...id] = key.split('/');
          return {
            kind: kind as SharedRecord['kind'],
            id: id.join('/'),
            by: 'Me',
            at: '2026-01-01T00:00:00Z',
            ...r,
          };
        })
        .sort((a, b) => a.version - b.version);
      return { head, records };
    },
    async put(write) {
      sent.push(write);
      if (refuse.has(write.kind)) throw new RecordRefusal(403, 'your role cannot');
      const key = recordKey(write);
      const current = held.get(key);
      if (current !== undefined && current.version !== write.baseVersion)
        return {
          ok: false,
          current: { kind: write.kind, id: write.id, by: 'Someone', at: '2026-01-01T00:00:00Z', ...current },
        };
      head += 1;
      held.set(key, { version: head, sha256: write.sha256, body: write.body });
      const record = {
        kind: write.kind,
        id: write.id,
        version: head,
        sha256: write.sha256,
        body: write.body,
      };
      return { ok: true, record: { ...record, by: 'Me', at: '2026-01-01T00:00:00Z' } };
    },
  };
  return { transport, sent, held };
}

const withWaivers = (p: ReturnType<typeof project>, waivers: Waiver[]) => ({
  ...p,
  meta: { ...p.meta, settings: { ...p.meta.settings, waivers } },
});

describe('the queue of writes', () => {
  it('makes two changes of one record one write, and queues a removal', async () => {
    const server = memoryServer();
    let state = queueLocalChanges(emptySyncState(), project());
    state = (await pushQueued(state, server.transport)).state;
    const first = server.sent.length;
    state = queueLocalChanges(state, withWaivers(project(), [waiver('w1', 'Second.')]));
    state = queueLocalChanges(state, withWaivers(project(), [waiver('w1', 'Third.')]));
    expect(state.pending.map((w) => [recordKey(w), w.baseVersion])).toEqual([
      ['waiver/w1', state.known['waiver/w1']?.version],
    ]);
    state = queueLocalChanges(state, withWaivers(project(), []));
    expect(state.pending).toEqual([expect.objectContaining({ kind: 'waiver', id: 'w1', body: null })]);
    state = (await pushQueued(state, server.transport)).state;
    expect(server.sent.length).toBe(first + 1);
    expect(state.pending).toEqual([]);
  });

  it('keeps a refused write aside and sends it again only once it changes', async () => {
    const server = memoryServer(new Set(['waiver']));
    let state = queueLocalChanges(emptySyncState(), project());
    state = (await pushQueued(state, server.transport)).state;
    expect(state.refused.map((r) => [recordKey(r.write), r.status])).toEqual([['waiver/w1', 403]]);
    const sent = server.sent.length;
    state = queueLocalChanges(state, project());
    expect(state.pending).toEqual([]);
    state = queueLocalChanges(state, withWaivers(project(), [waiver('w1', 'Changed.')]));
    state = (await pushQueued(state, server.transport)).state;
    expect(server.sent.length).toBe(sent + 1);
    expect(state.refused).toHaveLength(1);
  });

  /** A pull that brings `roster` as the server's version 7, written by the lead elsewhere. */
  const pulling = (roster: Roster): { theirs: SharedRecord; transport: RecordTransport } => {
    const theirs: SharedRecord = {
      kind: 'roster',
      id: 'roster',
      version: 7,
      body: roster,
      sha256: recordSha256(roster),
      by: 'Sam Okafor',
      at: '2026-03-09T10:00:00.000Z',
    };
    return {
      theirs,
      transport: { ...memoryServer().transport, pull: async () => ({ head: 7, records: [theirs] }) },
    };
  };
  const withRoster = (changes: RosterChange[]) => {
    const p = fixtureProject();
    return { ...p, meta: { ...p.meta, roster: { changes } } };
  };
  const rosterChange = (id: string, member: RosterMember): RosterChange => ({
    id,
    at: '2026-03-09T09:00:00.000Z',
    by: LEAD.staffId,
    kind: 'member',
    member,
  });
  const rosterWrites = (state: RecordSyncState) => state.pending.filter((w) => w.kind === 'roster');
  const started = rosterChange('r1', LEAD);
  const reviewerAdded = rosterChange('r2', REVIEWER);

  it('applies a pulled roster to the local one, change by change, as the lead made them', async () => {
    const mine = withRoster([started]);
    const { transport } = pulling({ changes: [started, reviewerAdded] });
    const pulled = await pullShared(emptySyncState(), mine, transport);
    expect(pulled.changes).toEqual([{ type: 'roster/change', change: reviewerAdded }]);
    expect(pulled.state.conflicts).toEqual([]);
    const after = applyChanges(mine, pulled.changes, '2026-03-09T10:00:01.000Z');
    expect(after.meta.roster).toEqual({ changes: [started, reviewerAdded] });
    expect(rosterState(after.meta.roster).members.get(REVIEWER.staffId)?.roles).toEqual(['reviewer']);
    // agreed with the server: nothing of it to send back
    expect(rosterWrites(queueLocalChanges(pulled.state, after))).toEqual([]);

    // a project whose sign-off had no roster yet gets the whole chain
    const fresh = fixtureProject();
    const whole = await pullShared(emptySyncState(), fresh, transport);
    expect(applyChanges(fresh, whole.changes, '2026-03-09T10:00:01.000Z').meta.roster).toEqual({
      changes: [started, reviewerAdded],
    });
  });

  it('keeps a local roster that is ahead, and sends it based on the server’s', async () => {
    const mine = withRoster([started, reviewerAdded]);
    const pulled = await pullShared(emptySyncState(), mine, pulling({ changes: [started] }).transport);
    expect(pulled.changes).toEqual([]);
    expect(pulled.state.conflicts).toEqual([]);
    expect(rosterWrites(queueLocalChanges(pulled.state, mine))).toEqual([
      expect.objectContaining({ kind: 'roster', baseVersion: 7, body: mine.meta.roster }),
    ]);
  });

  it('shows rosters that went apart as a choice, never overwriting either side', async () => {
    const mine = withRoster([
      started,
      rosterChange('r2', { ...REVIEWER, staffId: 'RN-900', name: 'Kim Vo' }),
    ]);
    const { theirs, transport } = pulling({ changes: [started, reviewerAdded] });
    const pulled = await pullShared(emptySyncState(), mine, transport);
    expect(pulled.changes).toEqual([]);
    expect(pulled.state.conflicts).toEqual([
      { mine: expect.objectContaining({ body: mine.meta.roster }), theirs },
    ]);
    expect(pulled.state.known['roster/roster']).toBeUndefined();
    const settled = settleConflict(pulled.state, mine, 'roster/roster', 'theirs');
    expect(settled.changes).toEqual([]);
    expect(queueLocalChanges(settled.state, mine).pending.map((w) => w.kind)).not.toContain('roster');
    const changed = withRoster([
      ...(mine.meta.roster?.changes ?? []),
      rosterChange('r3', { ...REVIEWER, staffId: 'RN-901' }),
    ]);
    expect(queueLocalChanges(settled.state, changed).pending).toContainEqual(
      expect.objectContaining({ kind: 'roster', baseVersion: 7 }),
    );
  });

  it('takes no pulled roster whose changes the roster’s rules refuse, and removes no roster', async () => {
    // a change by someone who is not a lead: refused here as it would be if made here
    const forged: RosterChange = { ...rosterChange('r2', REVIEWER), by: 'RN-204' };
    const fresh = fixtureProject();
    const pulled = await pullShared(
      emptySyncState(),
      fresh,
      pulling({ changes: [started, forged] }).transport,
    );
    expect(pulled.changes).toEqual([]);
    expect(rosterWrites(queueLocalChanges(pulled.state, fresh))).toEqual([]);
  });

  const withPlan = (plan: RollbackPlan) => {
    const p = project();
    return { ...p, meta: { ...p.meta, settings: { ...p.meta.settings, rollbackPlan: plan } } };
  };
  const planOf = (p: Project) => p.meta.settings.rollbackPlan;

  it('puts no copy of its own write back over a change made after it, and sends that change next', async () => {
    const server = memoryServer();
    let state = queueLocalChanges(emptySyncState(), withPlan({ present: true }));
    state = (await pushQueued(state, server.transport)).state;
    // the person went on typing before the round pulled: the server's copy is the older one
    const typed = withPlan({ present: true, decidedBy: 'Clinic manager', paperForms: true });
    const pulled = await pullShared(state, typed, server.transport);
    expect(pulled.changes).toEqual([]);
    expect(planOf(applyChanges(typed, pulled.changes, typed.meta.updatedAt))).toEqual(planOf(typed));
    state = (await pushQueued(queueLocalChanges(pulled.state, typed), server.transport)).state;
    expect(state.conflicts).toEqual([]);
    expect(server.held.get('readiness-record/rollbackPlan')?.body).toEqual(planOf(typed));
  });

  it('leaves a change not sent yet to meet a colleague’s newer write as a choice, never overwritten', async () => {
    const server = memoryServer();
    let state = queueLocalChanges(emptySyncState(), withPlan({ present: true }));
    state = (await pushQueued(state, server.transport)).state;
    // a colleague writes the plan on the version this browser holds, while the person types here
    const theirs = { present: true, decidedBy: 'CMIO' };
    const agreed = state.known['readiness-record/rollbackPlan']?.version ?? 0;
    await server.transport.put({
      kind: 'readiness-record',
      id: 'rollbackPlan',
      baseVersion: agreed,
      body: theirs,
      sha256: recordSha256(theirs),
    });
    const typed = withPlan({ present: true, decidedBy: 'Clinic manager' });
    const pulled = await pullShared(state, typed, server.transport);
    expect(pulled.changes).toEqual([]);
    expect(pulled.state.known['readiness-record/rollbackPlan']?.version).toBe(agreed);
    state = (await pushQueued(queueLocalChanges(pulled.state, typed), server.transport)).state;
    expect(state.conflicts.map((c) => [c.mine.body, c.theirs.body])).toEqual([[planOf(typed), theirs]]);
    expect(server.held.get('readiness-record/rollbackPlan')?.body).toEqual(theirs);
  });

  it('stops at a network failure and keeps the rest in order', async () => {
    const server = memoryServer();
    const failing: RecordTransport = {
      ...server.transport,
      put: async () => {
        throw new TypeError('fetch failed');
      },
    };
    const state = queueLocalChanges(emptySyncState(), project());
    const { state: after, offline } = await pushQueued(state, failing);
    expect(offline).toBe(true);
    expect(after.pending).toEqual(state.pending);
  });
});

describe('a pull the server answers in pages', () => {
  it('asks each next page after the last record it got, so no record between is skipped', async () => {
    const held: SharedRecord[] = [1, 2, 3, 4, 5].map((version) => ({
      kind: 'waiver',
      id: `w${version}`,
      version,
      sha256: `${version}`.repeat(64).slice(0, 64),
      by: 'Me',
      at: '2026-01-01T00:00:00Z',
      body: waiver(`w${version}`),
    }));
    const asked: number[] = [];
    const transport: RecordTransport = {
      async pull(after) {
        asked.push(after);
        return { head: 5, records: held.filter((r) => r.version > after).slice(0, 2) };
      },
      async put() {
        throw new Error('not asked');
      },
    };
    const pulled = await fetchShared(0, transport);
    expect(pulled.records.map((r) => r.version)).toEqual([1, 2, 3, 4, 5]);
    expect(pulled.head).toBe(5);
    expect(asked).toEqual([0, 2, 4]);
  });
});
