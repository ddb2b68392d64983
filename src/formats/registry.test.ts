import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PROBLEM_CODES as C,
  FORMAT_FAMILIES,
  familyTitle,
  loadDocument,
  type Migration,
  parseFormatTag,
} from './loading.ts';
import { FORMATS, formatEntry, identifyFormat, loadAny } from './registry.ts';
import * as fixtures from './testing/fixtures.ts';
import { nth } from './testing/fixtures.ts';
import { type Workflow, workflowFormat } from './workflow.ts';

describe('identifyFormat', () => {
  const table: { description: string; input: unknown; expected: { status: string; title?: string } }[] = [
    {
      description: 'a workflow',
      input: fixtures.fixtureWorkflow(),
      expected: { status: 'current', title: 'workflow' },
    },
    {
      description: 'a mapping',
      input: fixtures.fixtureMapping(),
      expected: { status: 'current', title: 'mapping' },
    },
    {
      description: 'a report',
      input: fixtures.fixtureReport(),
      expected: { status: 'current', title: 'validation report' },
    },
    {
      description: 'a sample plan',
      input: fixtures.fixtureSamplePlan(),
      expected: { status: 'current', title: 'sample plan' },
    },
    {
      description: 'a project file',
      input: fixtures.fixtureProjectFile(),
      expected: { status: 'current', title: 'project file' },
    },
    {
      description: 'a newer mapping',
      input: { format: 'preflight.mapping/v3' },
      expected: { status: 'newer', title: 'mapping' },
    },
    {
      description: 'an older plan with no migration',
      input: { format: 'preflight.sampleplan/v0' },
      expected: { status: 'unsupported', title: 'sample plan' },
    },
    {
      description: 'an unknown Preflight family',
      input: { format: 'preflight.invoice/v1' },
      expected: { status: 'unknown' },
    },
    { description: 'a FHIR resource', input: { resourceType: 'Patient' }, expected: { status: 'unknown' } },
    {
      description: 'a JSON Schema',
      input: { $schema: 'https://json-schema.org/draft/2020-12/schema' },
      expected: { status: 'unknown' },
    },
    { description: 'a number', input: 42, expected: { status: 'unknown' } },
    { description: 'null', input: null, expected: { status: 'unknown' } },
  ];
  it.each(table)('$description', ({ input, expected }) => {
    const identity = identifyFormat(input);
    expect({
      status: identity.status,
      ...('format' in identity ? { title: identity.format.title } : {}),
    }).toEqual(expected);
  });
});

describe('one vocabulary', () => {
  it("takes every format's title from FORMAT_FAMILIES, and that table has no family without a format", () => {
    const families = FORMATS.map((format) => parseFormatTag(format.tag)?.family ?? '');
    expect(FORMATS.map((format) => format.title)).toEqual(families.map((family) => familyTitle(family)));
    expect(Object.keys(FORMAT_FAMILIES).sort()).toEqual([...families].sort());
  });

  it('names the family in a wrong-format problem from the same table', () => {
    const result = loadDocument(workflowFormat, fixtures.fixtureSamplePlan());
    expect(result.ok ? [] : result.problems.map((p) => p.message)).toEqual([
      `this is a Preflight ${FORMAT_FAMILIES.sampleplan}, not a ${FORMAT_FAMILIES.workflow}`,
    ]);
  });
});

describe('loadAny', () => {
  it('loads every valid fixture as its own format', () => {
    for (const doc of [
      fixtures.fixtureWorkflow(),
      fixtures.fixtureMapping(),
      fixtures.fixtureReport(),
      fixtures.fixtureSamplePlan(),
      fixtures.fixtureProjectFile(),
    ]) {
      const result = loadAny(doc);
      expect(result.ok, JSON.stringify(result)).toBe(true);
      expect(result.format?.tag).toBe(doc.format);
    }
  });

  const refusals: { description: string; input: unknown; expected: { code: string; message: string } }[] = [
    {
      description: 'a newer version',
      input: { format: 'preflight.workflow/v2' },
      expected: {
        code: C.newerVersion,
        message: 'workflow made by a newer Preflight; update Preflight to open it',
      },
    },
    {
      description: 'an unknown tag',
      input: { format: 'something/v1' },
      expected: {
        code: C.notPreflight,
        message: 'not a Preflight file: its "format" tag is not one Preflight knows',
      },
    },
    {
      description: 'no tag',
      input: { a: 1 },
      expected: { code: C.notPreflight, message: 'not a Preflight file: it has no Preflight "format" tag' },
    },
    {
      description: 'an array',
      input: [],
      expected: { code: C.notPreflight, message: 'not a Preflight file: expected a JSON object' },
    },
  ];
  it.each(refusals)('refuses $description', ({ input, expected }) => {
    const result = loadAny(input);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems.map(({ code, message }) => ({ code, message }))).toEqual([expected]);
  });

  it('never throws on any JSON value (seed printed on failure)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc
            .record({ format: fc.constantFrom(...FORMATS.map((f) => f.tag)) }, { requiredKeys: ['format'] })
            .chain((base) =>
              fc.dictionary(fc.string(), fc.jsonValue()).map((extra) => ({ ...extra, ...base })),
            ),
        ),
        (json) => {
          const result = loadAny(json);
          expect(typeof result.ok).toBe('boolean');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never puts a document value into a problem message', () => {
    const SECRET = 'Jane Q. Patient 1970-01-01';
    fc.assert(
      fc.property(fc.constantFrom(...mutationPaths()), ([doc, mutate]) => {
        const json = structuredClone(doc);
        mutate(json as Record<string, unknown>, SECRET);
        const result = loadAny(json);
        const text = result.ok ? '' : result.problems.map((p) => `${p.message}`).join('\n');
        expect(text).not.toContain(SECRET);
      }),
    );
  });
});

/** Places a secret at many places of valid documents, as a value and as a wrong-typed value. */
function mutationPaths(): [unknown, (json: Record<string, unknown>, secret: string) => void][] {
  const set = (path: (string | number)[]) => (json: Record<string, unknown>, secret: string) => {
    let node: Record<string | number, unknown> = json;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    node[path[path.length - 1] as string | number] = secret;
  };
  return [
    [fixtures.fixtureWorkflow(), set(['steps', 1, 'lane'])],
    [fixtures.fixtureWorkflow(), set(['steps', 1, 'kind'])],
    [fixtures.fixtureWorkflow(), set(['steps', 1, 'touchMin'])],
    [fixtures.fixtureWorkflow(), set(['flows', 0, 'to'])],
    [fixtures.fixtureWorkflow(), set(['state'])],
    [fixtures.fixtureMapping(), set(['fields', 0, 'transform', 0, 'op'])],
    [fixtures.fixtureMapping(), set(['target', 'type'])],
    [fixtures.fixtureMapping(), set(['fields', 8, 'transform', 0, 'pattern'])],
    [fixtures.fixtureMapping(), set(['version'])],
    [fixtures.fixtureReport(), set(['generatedAt'])],
    [fixtures.fixtureReport(), set(['issues', 0, 'examples', 0, 'row'])],
    [fixtures.fixtureReport(), set(['inputs', 0, 'sha256'])],
    [fixtures.fixtureSamplePlan(), set(['seed'])],
    [fixtures.fixtureProjectFile(), set(['project', 'workflows', 0, 'steps', 0, 'lane'])],
    [fixtures.fixtureProjectFile(), set(['project', 'meta', 'createdAt'])],
    [fixtures.fixtureProjectFile(), set(['integrity', 'sha256'])],
    [fixtures.fixtureProjectFile(), set(['format'])],
  ];
}

describe('migrations', () => {
  /** A synthetic older version, registered only here: v0 called lanes "roles" and had no flows' transfer. */
  const fromV0: Migration = {
    from: 'preflight.workflow/v0',
    to: 'preflight.workflow/v1',
    migrate: (doc) => {
      const { roles, ...rest } = doc as Record<string, unknown> & {
        roles: unknown;
        flows: Record<string, unknown>[];
      };
      return {
        ...rest,
        format: 'preflight.workflow/v1',
        lanes: roles,
        flows: (doc.flows as Record<string, unknown>[]).map((f) => ({ transfer: 'none', ...f })),
      };
    },
  };
  const fromVMinus: Migration = {
    from: 'preflight.workflow/v00',
    to: 'preflight.workflow/v0',
    migrate: (doc) => ({ ...doc, format: 'preflight.workflow/v0' }),
  };
  const definition = { ...workflowFormat, migrations: [fromV0] };
  const table = [formatEntry(definition), ...FORMATS.filter((f) => f.tag !== workflowFormat.tag)];

  function v0(): Record<string, unknown> {
    const { lanes, flows, ...rest } = fixtures.fixtureWorkflow();
    return {
      ...rest,
      format: 'preflight.workflow/v0',
      roles: lanes,
      flows: flows.map(({ transfer: _t, ...f }) => f),
    };
  }

  it('identifies an older tag with a migration as "older"', () => {
    expect(identifyFormat(v0(), table)).toMatchObject({ status: 'older', tag: 'preflight.workflow/v0' });
    expect(identifyFormat(v0())).toMatchObject({ status: 'unsupported' });
  });

  it('migrates, then validates, and says what it migrated from', () => {
    const input = v0();
    const before = structuredClone(input);
    const result = loadAny(input, table);
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.migratedFrom).toBe('preflight.workflow/v0');
      expect((result.value as Workflow).lanes).toEqual(fixtures.fixtureWorkflow().lanes);
      expect((result.value as Workflow).flows.every((f) => f.transfer === 'none')).toBe(true);
    }
    expect(input).toEqual(before); // the input is not mutated
  });

  it('validates the migrated document (paths refer to it)', () => {
    const input = v0();
    nth(input.roles as { staff: unknown }[], 0).staff = 'two';
    const result = loadDocument(definition, input);
    expect(result.ok ? [] : result.problems.map((p) => [p.path, p.code])).toEqual([
      ['/lanes/0/staff', C.wrongType],
    ]);
  });

  it('chains migrations', () => {
    const chained = { ...workflowFormat, migrations: [fromVMinus, fromV0] };
    const result = loadDocument(chained, { ...v0(), format: 'preflight.workflow/v00' });
    expect(result.ok && result.migratedFrom).toBe('preflight.workflow/v00');
  });

  it('reports a migration that does not produce its declared tag', () => {
    const broken: Migration = { ...fromV0, migrate: (doc) => ({ ...doc }) };
    const result = loadDocument({ ...workflowFormat, migrations: [broken] }, v0());
    expect(result.ok ? [] : result.problems.map((p) => p.code)).toEqual([C.unsupportedVersion]);
  });
});

describe('round trip', () => {
  const id = fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/);
  const minutes = fc.double({ min: 0, max: 600, noNaN: true });
  /** Random valid current workflows: any lanes, steps in those lanes, flows between those steps. */
  const workflowArb = fc
    .record({
      laneIds: fc.uniqueArray(id, { minLength: 1, maxLength: 4 }),
      stepIds: fc.uniqueArray(id, { minLength: 1, maxLength: 8 }),
      arrivals: fc.double({ min: 0, max: 100, noNaN: true }),
    })
    .chain(({ laneIds, stepIds, arrivals }) =>
      fc.record({
        steps: fc.tuple(
          ...stepIds.map((stepId) =>
            fc.record({
              id: fc.constant(stepId),
              label: fc.string({ minLength: 1 }),
              lane: fc.constantFrom(...laneIds),
              kind: fc.constantFrom('start', 'end', 'task', 'decision', 'approval', 'wait' as const),
              medium: fc.constantFrom('paper', 'fax', 'phone', 'verbal', 'digital' as const),
              system: fc.string(),
              touchMin: minutes,
              waitMin: minutes,
              clicks: fc.nat(50),
              enters: fc.array(fc.string({ minLength: 1 }), { maxLength: 3 }),
            }),
          ),
        ),
        flows: fc.uniqueArray(
          fc.record({
            from: fc.constantFrom(...stepIds),
            to: fc.constantFrom(...stepIds),
            transfer: fc.constantFrom('none', 'electronic', 'manual', 'paper' as const),
          }),
          { selector: (f) => `${f.from}\u0000${f.to}`, maxLength: 12 },
        ),
        lanes: fc.tuple(
          ...laneIds.map((laneId) =>
            fc.record({ id: fc.constant(laneId), name: fc.string({ minLength: 1 }), staff: fc.nat(5) }),
          ),
        ),
        arrivalsPerHour: fc.constant(arrivals),
      }),
    )
    .map(
      (parts): Workflow => ({
        format: 'preflight.workflow/v1',
        id: 'w',
        name: 'Random',
        state: 'current',
        ...parts,
      }),
    );

  it('random valid workflows load unchanged, also after a JSON round trip', () => {
    fc.assert(
      fc.property(workflowArb, (workflow) => {
        const text = JSON.stringify(workflow);
        const result = loadAny(JSON.parse(text));
        expect(result.ok, JSON.stringify(result)).toBe(true);
        if (result.ok) expect(result.value).toEqual(JSON.parse(text));
      }),
      { numRuns: 200 },
    );
  });
});
