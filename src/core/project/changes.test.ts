import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Project } from '../../formats/project.ts';
import type { Report } from '../../formats/report.ts';
import {
  FIXTURE_NOW,
  fixtureDataset,
  fixtureDecision,
  fixtureLogMap,
  fixtureMapping,
  fixtureProject,
  fixtureReport,
  fixtureReview,
  fixtureSamplePlan,
  fixtureSchema,
  fixtureWorkflow,
  fixtureWorkflowBackTest,
  fixtureWorkflowCheck,
} from '../../formats/testing/fixtures.ts';
import {
  addReport,
  applyChange,
  applyChanges,
  createProject,
  newId,
  type ProjectChange,
  ProjectChangeError,
  type ProjectChangeErrorCode,
} from './changes.ts';
import { COLLECTION_OF, DOCUMENT_KINDS, type DocumentKind, documentId, documentsOf } from './documents.ts';

const LATER = '2025-02-03T04:05:06.000Z';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const ids = (project: Project, kind: DocumentKind) => documentsOf(project, kind).map((d) => documentId(d));

describe('createProject', () => {
  it('makes an empty project with settings {} and both timestamps at now', () => {
    const project = createProject({ id: 'p', name: '  Clinic  ', now: FIXTURE_NOW });
    expect(project).toEqual({
      meta: { id: 'p', name: 'Clinic', createdAt: FIXTURE_NOW, updatedAt: FIXTURE_NOW, settings: {} },
      workflows: [],
      mappings: [],
      samplePlans: [],
      reports: [],
      datasets: [],
      schemas: [],
    });
  });

  it('generates an id when none is given, and newId gives distinct UUIDs', () => {
    expect(createProject({ name: 'x', now: FIXTURE_NOW }).meta.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(newId()).not.toBe(newId());
  });

  it('refuses a blank name', () => {
    expect(() => createProject({ id: 'p', name: ' ', now: FIXTURE_NOW })).toThrow(ProjectChangeError);
  });
});

interface ChangeCase {
  description: string;
  change: ProjectChange;
  /** the kind of document the change touches, or null for project/* changes */
  touches: DocumentKind | null;
  expected: (next: Project) => void;
}

const changeCases: ChangeCase[] = [
  {
    description: 'project/rename trims and sets the name',
    change: { type: 'project/rename', name: ' Eastside ' },
    touches: null,
    expected: (next) => expect(next.meta.name).toBe('Eastside'),
  },
  {
    description: 'project/settings replaces the settings object',
    change: { type: 'project/settings', settings: { clickBudget: 12 } },
    touches: null,
    expected: (next) => expect(next.meta.settings).toEqual({ clickBudget: 12 }),
  },
  {
    description: 'workflow/put adds a new workflow at the end',
    change: { type: 'workflow/put', workflow: fixtureWorkflow('w3') },
    touches: 'workflow',
    expected: (next) => expect(ids(next, 'workflow')).toEqual(['w1', 'w2', 'w3']),
  },
  {
    description: 'workflow/put replaces a workflow with the same id in place',
    change: { type: 'workflow/put', workflow: fixtureWorkflow('w1', 'Renamed') },
    touches: 'workflow',
    expected: (next) => {
      expect(ids(next, 'workflow')).toEqual(['w1', 'w2']);
      expect(next.workflows[0]?.name).toBe('Renamed');
    },
  },
  {
    description: 'workflow/remove removes by id',
    change: { type: 'workflow/remove', id: 'w1' },
    touches: 'workflow',
    expected: (next) => expect(ids(next, 'workflow')).toEqual(['w2']),
  },
  {
    description: 'dataset/put adds',
    change: { type: 'dataset/put', dataset: fixtureDataset('d2') },
    touches: 'dataset',
    expected: (next) => expect(ids(next, 'dataset')).toEqual(['d1', 'd2']),
  },
  {
    description: 'dataset/remove removes',
    change: { type: 'dataset/remove', id: 'd1' },
    touches: 'dataset',
    expected: (next) => expect(ids(next, 'dataset')).toEqual(['d2']),
  },
  {
    description: 'mapping/put replaces',
    change: { type: 'mapping/put', mapping: { ...fixtureMapping('m1'), version: 2 } },
    touches: 'mapping',
    expected: (next) => expect(next.mappings[0]?.version).toBe(2),
  },
  {
    description: 'mapping/remove removes',
    change: { type: 'mapping/remove', id: 'm1' },
    touches: 'mapping',
    expected: (next) => expect(next.mappings).toEqual([]),
  },
  {
    description: 'samplePlan/put adds',
    change: { type: 'samplePlan/put', samplePlan: fixtureSamplePlan('p2') },
    touches: 'samplePlan',
    expected: (next) => expect(ids(next, 'samplePlan')).toEqual(['p1', 'p2']),
  },
  {
    description: 'samplePlan/remove removes',
    change: { type: 'samplePlan/remove', id: 'p1' },
    touches: 'samplePlan',
    expected: (next) => expect(next.samplePlans).toEqual([]),
  },
  {
    description: 'report/put replaces the report with its id',
    change: {
      type: 'report/put',
      report: { ...fixtureReport('r1'), generatedAt: '2025-01-05T00:00:00.000Z' },
    },
    touches: 'report',
    expected: (next) => {
      expect(ids(next, 'report')).toEqual(['r1']);
      expect(next.reports[0]?.generatedAt).toBe('2025-01-05T00:00:00.000Z');
    },
  },
  {
    description: 'report/add adds a report under the id of the change, whatever id it carried',
    change: addReport({ ...fixtureReport('r1'), id: undefined }, 'r2'),
    touches: 'report',
    expected: (next) => expect(ids(next, 'report')).toEqual(['r1', 'r2']),
  },
  {
    description: 'report/remove removes by id',
    change: { type: 'report/remove', id: 'r1' },
    touches: 'report',
    expected: (next) => expect(next.reports).toEqual([]),
  },
  {
    description: 'schema/put replaces',
    change: { type: 'schema/put', schema: { ...fixtureSchema('s1'), name: 'Patients contract' } },
    touches: 'schema',
    expected: (next) => expect(next.schemas[0]?.name).toBe('Patients contract'),
  },
  {
    description: 'schema/remove removes',
    change: { type: 'schema/remove', id: 's1' },
    touches: 'schema',
    expected: (next) => expect(next.schemas).toEqual([]),
  },
];

describe('applyChange', () => {
  it.each(changeCases)('$description', ({ change, touches, expected }) => {
    const before = deepFreeze(fixtureProject());
    const copy = structuredClone(before);
    const next = applyChange(before, change, LATER);

    expected(next);
    expect(before).toEqual(copy);
    expect(next.meta.updatedAt).toBe(LATER);
    expect(next.meta.createdAt).toBe(FIXTURE_NOW);
    for (const kind of DOCUMENT_KINDS) {
      const collection = COLLECTION_OF[kind];
      if (kind !== touches) expect(next[collection], `${collection} keeps identity`).toBe(before[collection]);
    }
    if (touches === null) expect(next.meta).not.toBe(before.meta);
  });

  it('keeps the identity of untouched documents in the touched collection', () => {
    const before = fixtureProject();
    const next = applyChange(before, { type: 'workflow/put', workflow: fixtureWorkflow('w1', 'New') }, LATER);
    expect(next.workflows[1]).toBe(before.workflows[1]);
    expect(next.workflows[0]).not.toBe(before.workflows[0]);
  });

  it('returns the same project for a change that changes nothing', () => {
    const before = fixtureProject();
    const unchanged: ProjectChange[] = [
      { type: 'project/rename', name: before.meta.name },
      { type: 'project/settings', settings: before.meta.settings },
      { type: 'workflow/put', workflow: before.workflows[0] as NonNullable<(typeof before.workflows)[0]> },
    ];
    for (const change of unchanged) expect(applyChange(before, change, LATER), change.type).toBe(before);
  });

  it.each<{ description: string; change: ProjectChange; code: ProjectChangeErrorCode }>([
    { description: 'rename to blank', change: { type: 'project/rename', name: '   ' }, code: 'blank-name' },
    {
      description: 'rename to a very long name',
      change: { type: 'project/rename', name: 'x'.repeat(500) },
      code: 'name-too-long',
    },
    {
      description: 'settings that are not an object',
      change: { type: 'project/settings', settings: [] as never },
      code: 'invalid-settings',
    },
    {
      description: 'settings null',
      change: { type: 'project/settings', settings: null as never },
      code: 'invalid-settings',
    },
    {
      description: 'put a workflow without id',
      change: { type: 'workflow/put', workflow: fixtureWorkflow('') },
      code: 'missing-id',
    },
    {
      description: 'put a dataset that is not an object',
      change: { type: 'dataset/put', dataset: null as never },
      code: 'missing-id',
    },
    {
      description: 'remove a workflow that is not there',
      change: { type: 'workflow/remove', id: 'nope' },
      code: 'unknown-document',
    },
    {
      description: 'put a report without an id (it is no longer keyed by generatedAt)',
      change: { type: 'report/put', report: { ...fixtureReport('x'), id: undefined } as never },
      code: 'missing-id',
    },
    {
      description: 'add a report that is not a document object',
      change: { type: 'report/add', report: null as never, id: 'new' },
      code: 'missing-id',
    },
    {
      description: 'add a report under an id already in the project',
      change: addReport(fixtureReport('new'), 'r1'),
      code: 'duplicate-id',
    },
    {
      description: 'remove a report that is not there',
      change: { type: 'report/remove', id: 'nope' },
      code: 'unknown-document',
    },
    {
      description: 'an unknown change type',
      change: { type: 'patient/delete' } as never,
      code: 'unknown-change',
    },
  ])('throws ProjectChangeError for an impossible change: $description', ({ change, code }) => {
    const before = deepFreeze(fixtureProject());
    let caught: unknown;
    try {
      applyChange(before, change, LATER);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ProjectChangeError);
    expect((caught as ProjectChangeError).code).toBe(code);
    expect((caught as ProjectChangeError).changeType).toBe(change.type);
  });

  // keyed by generatedAt, a second run finishing in the same millisecond would replace the first
  // (2 reports, not 3): each report gets its own id
  it('keeps two reports that finish in the same millisecond', () => {
    const at = '2025-01-05T00:00:00.000Z';
    const run = (input: string): Report => ({
      ...fixtureReport('ignored', at),
      id: undefined,
      inputs: [{ name: input, kind: 'csv', records: 3 }],
    });
    const next = applyChanges(
      fixtureProject(),
      [addReport(run('patients.csv'), 'run-a'), addReport(run('encounters.csv'), 'run-b')],
      at,
    );
    expect(next.reports.map((r) => [r.id, r.inputs[0]?.name])).toEqual([
      ['r1', 'patients.csv'],
      ['run-a', 'patients.csv'],
      ['run-b', 'encounters.csv'],
    ]);
  });

  it('addReport gives each report a new UUID unless told the id, and the change replays the same', () => {
    const report = fixtureReport('ignored');
    const first = addReport(report);
    const second = addReport(report);
    expect(first.type === 'report/add' && first.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(first).not.toEqual(second);
    const project = fixtureProject();
    expect(applyChange(project, first, LATER)).toEqual(applyChange(project, first, LATER));
  });

  it('applyChanges applies a batch in order', () => {
    const next = applyChanges(
      fixtureProject(),
      [
        { type: 'workflow/remove', id: 'w1' },
        { type: 'workflow/put', workflow: fixtureWorkflow('w1') },
      ],
      LATER,
    );
    expect(ids(next, 'workflow')).toEqual(['w2', 'w1']);
  });
});

// ---- property: random sequences never mutate inputs and keep identity of untouched documents ----

const idPool = fc.constantFrom('a', 'b', 'c');
const makers: Record<DocumentKind, (id: string) => ProjectChange> = {
  workflow: (id) => ({ type: 'workflow/put', workflow: fixtureWorkflow(id) }),
  dataset: (id) => ({ type: 'dataset/put', dataset: fixtureDataset(id) }),
  mapping: (id) => ({ type: 'mapping/put', mapping: fixtureMapping(id) }),
  samplePlan: (id) => ({ type: 'samplePlan/put', samplePlan: fixtureSamplePlan(id) }),
  report: (id) => ({ type: 'report/put', report: fixtureReport(id) }),
  schema: (id) => ({ type: 'schema/put', schema: fixtureSchema(id) }),
  review: (id) => ({ type: 'review/put', review: fixtureReview(id) }),
  workflowCheck: (id) => ({ type: 'workflowCheck/put', workflowCheck: fixtureWorkflowCheck(id) }),
  logMap: (id) => ({ type: 'logMap/put', logMap: fixtureLogMap(id) }),
  workflowBackTest: (id) => ({
    type: 'workflowBackTest/put',
    workflowBackTest: fixtureWorkflowBackTest(id),
  }),
};
const changeArb: fc.Arbitrary<ProjectChange> = fc.oneof(
  fc
    .string({ minLength: 1, maxLength: 20 })
    .map((name) => ({ type: 'project/rename', name: `n${name}` }) as const),
  fc
    .dictionary(fc.string({ maxLength: 5 }), fc.integer())
    .map((settings) => ({ type: 'project/settings', settings }) as const),
  fc.tuple(fc.constantFrom(...DOCUMENT_KINDS), idPool).map(([kind, id]) => makers[kind](id)),
  fc
    .tuple(fc.constantFrom(...DOCUMENT_KINDS), idPool)
    .map(([kind, id]) => ({ type: `${kind}/remove`, id }) as ProjectChange),
  // an add of an id already there is refused; of a new one, adds
  idPool.map((id) => addReport(fixtureReport('ignored'), id)),
);

describe('applyChange properties', () => {
  it('never mutates its input and preserves identity of untouched documents', () => {
    fc.assert(
      fc.property(fc.array(changeArb, { maxLength: 40 }), (changes) => {
        let project = deepFreeze(createProject({ id: 'p', name: 'Start', now: FIXTURE_NOW }));
        for (const [step, change] of changes.entries()) {
          const copy = structuredClone(project);
          let next: Project;
          try {
            next = applyChange(
              project,
              change,
              `2025-03-01T00:00:${String(step % 60).padStart(2, '0')}.000Z`,
            );
          } catch (error) {
            expect(error).toBeInstanceOf(ProjectChangeError);
            next = project;
          }
          expect(project).toEqual(copy);
          const kind = change.type.startsWith('project/')
            ? null
            : (change.type.split('/')[0] as DocumentKind);
          for (const k of DOCUMENT_KINDS) {
            if (k !== kind) {
              expect(next[COLLECTION_OF[k]]).toBe(project[COLLECTION_OF[k]]);
              continue;
            }
            const changedId =
              'id' in change ? change.id : documentId((change as Record<string, unknown>)[k] as never);
            const previous = new Map(documentsOf(project, k).map((d) => [documentId(d), d]));
            for (const doc of documentsOf(next, k)) {
              const id = documentId(doc);
              if (id !== changedId) expect(doc).toBe(previous.get(id));
            }
          }
          project = deepFreeze(next);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('a locked sample plan', () => {
  const lockedPlan = {
    ...fixtureSamplePlan('p-locked'),
    lock: {
      lockedAt: '2024-07-08T09:30:00-04:00',
      datasets: [{ name: 'x.csv', bytes: 3, sha256: 'c'.repeat(64) }],
    },
  };
  const project = applyChange(fixtureProject(), { type: 'samplePlan/put', samplePlan: lockedPlan }, LATER);

  it('cannot be changed in place', () => {
    const edited = { ...lockedPlan, targetErrorRate: 0.05 };
    expect(() => applyChange(project, { type: 'samplePlan/put', samplePlan: edited }, LATER)).toThrow(
      expect.objectContaining({ code: 'locked-document' }),
    );
    const unlocked = { ...lockedPlan, lock: undefined };
    expect(() => applyChange(project, { type: 'samplePlan/put', samplePlan: unlocked }, LATER)).toThrow(
      expect.objectContaining({ code: 'locked-document' }),
    );
  });

  it('may be put again with the same content (a replayed change), and unlocked plans change freely', () => {
    const same = structuredClone(lockedPlan);
    expect(() => applyChange(project, { type: 'samplePlan/put', samplePlan: same }, LATER)).not.toThrow();
    const open = fixtureSamplePlan('p-open');
    const withOpen = applyChange(project, { type: 'samplePlan/put', samplePlan: open }, LATER);
    const edited = applyChange(
      withOpen,
      { type: 'samplePlan/put', samplePlan: { ...open, confidence: 0.99 } },
      LATER,
    );
    expect(edited.samplePlans.find((p) => p.id === 'p-open')?.confidence).toBe(0.99);
  });
});

describe('review changes (decisions are append-only)', () => {
  const withReview = (): Project =>
    applyChange(fixtureProject(), { type: 'review/put', review: fixtureReview('rv1') }, LATER);

  it('review/decide appends a decision, touching only the review', () => {
    const before = withReview();
    const after = applyChange(
      before,
      { type: 'review/decide', reviewId: 'rv1', decision: fixtureDecision('d1') },
      LATER,
    );
    expect(after.reviews?.[0]?.decisions.map((d) => d.id)).toEqual(['d1']);
    expect(before.reviews?.[0]?.decisions).toEqual([]);
    expect(after.workflows).toBe(before.workflows);
  });

  const refusals: { description: string; change: (p: Project) => ProjectChange; code: string }[] = [
    {
      description: 'a decision on an unknown review',
      change: () => ({ type: 'review/decide', reviewId: 'nope', decision: fixtureDecision() }),
      code: 'unknown-document',
    },
    {
      description: 'a decision on a record not drawn',
      change: () => ({ type: 'review/decide', reviewId: 'rv1', decision: fixtureDecision('d9', 'MRN-404') }),
      code: 'invalid-decision',
    },
    {
      description: 'a put that drops a recorded decision',
      change: () => ({ type: 'review/put', review: fixtureReview('rv1') }),
      code: 'locked-document',
    },
    {
      description: 'a put that edits a recorded decision',
      change: () => ({
        type: 'review/put',
        review: fixtureReview('rv1', [fixtureDecision('d1', 'MRN-1', 'reject')]),
      }),
      code: 'locked-document',
    },
  ];
  it.each(refusals)('refuses $description', ({ change, code }) => {
    const decided = applyChange(
      withReview(),
      { type: 'review/decide', reviewId: 'rv1', decision: fixtureDecision('d1') },
      LATER,
    );
    expect(() => applyChange(decided, change(decided), LATER)).toThrow(expect.objectContaining({ code }));
  });

  it('a put that keeps every decision and adds one is allowed', () => {
    const decided = applyChange(
      withReview(),
      { type: 'review/decide', reviewId: 'rv1', decision: fixtureDecision('d1') },
      LATER,
    );
    const review = fixtureReview('rv1', [fixtureDecision('d1'), fixtureDecision('d2', 'MRN-2')]);
    expect(applyChange(decided, { type: 'review/put', review }, LATER).reviews?.[0]?.decisions).toHaveLength(
      2,
    );
  });
});
