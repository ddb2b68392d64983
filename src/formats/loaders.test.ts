import { describe, expect, it } from 'vitest';
import { PROBLEM_CODES as C, type FormatProblem, type LoadResult, loadDocument } from './loading.ts';
import { loadMapping, type Mapping } from './mapping.ts';
import { loadReport, type Report } from './report.ts';
import { loadSamplePlan, type SamplePlan } from './samplePlan.ts';
import * as fixtures from './testing/fixtures.ts';
import { nth } from './testing/fixtures.ts';
import { loadWorkflow, type Workflow, workflowFormat } from './workflow.ts';

type Expected = [path: string, code: string][];

function pairs(result: LoadResult<unknown>): Expected {
  return result.ok ? [] : result.problems.map((p: FormatProblem) => [p.path, p.code]);
}

/** Each case mutates a fresh valid fixture; `expected` lists (path, code) of every problem, in order. */
function cases<T>(
  load: (json: unknown) => LoadResult<T>,
  fixture: () => T,
  table: { description: string; input: (doc: T) => unknown; expected: Expected }[],
) {
  it.each(table)('$description', ({ input, expected }) => {
    const doc = fixture();
    const json = input(doc) ?? doc;
    expect(pairs(load(json))).toEqual(expected);
  });
}

const any = (value: unknown) => value as never;

describe('loadWorkflow', () => {
  cases<Workflow>(loadWorkflow, fixtures.fixtureWorkflow, [
    { description: 'a valid current workflow loads', input: () => undefined, expected: [] },
    {
      description: 'a missing required step field is reported at its own path',
      input: (w) => {
        delete (nth(w.steps, 3) as Partial<Workflow['steps'][number]>).lane;
      },
      expected: [['/steps/3/lane', C.missingField]],
    },
    {
      description: 'a step lane that is not a lane',
      input: (w) => {
        nth(w.steps, 2).lane = 'doctor';
      },
      expected: [['/steps/2/lane', C.unknownReference]],
    },
    {
      description: 'a step inside a step that is not in the workflow, or inside itself',
      input: (w) => {
        nth(w.steps, 2).within = 'gone';
        nth(w.steps, 3).within = nth(w.steps, 3).id;
        nth(w.steps, 4).within = nth(w.steps, 1).id;
        nth(w.steps, 4).bpmn = { type: 'serviceTask' };
      },
      expected: [
        ['/steps/2/within', C.unknownReference],
        ['/steps/3/within', C.unknownReference],
      ],
    },
    {
      description: 'an unknown field is named by its path',
      input: (w) => {
        (nth(w.steps, 0) as unknown as Record<string, unknown>).colour = 'red';
      },
      expected: [['/steps/0/colour', C.unknownField]],
    },
    {
      description: 'wrong types, enums and ranges',
      input: (w) => {
        nth(w.steps, 1).touchMin = any('4');
        nth(w.steps, 1).kind = any('meeting');
        nth(w.steps, 1).clicks = 1.5;
        nth(w.flows, 0).probability = 1.2;
        nth(w.lanes, 0).staff = -1;
      },
      expected: [
        ['/lanes/0/staff', C.outOfRange],
        ['/steps/1/kind', C.notAllowed],
        ['/steps/1/touchMin', C.wrongType],
        ['/steps/1/clicks', C.wrongType],
        ['/flows/0/probability', C.outOfRange],
      ],
    },
    {
      description: 'duplicate lane and step ids',
      input: (w) => {
        nth(w.lanes, 1).id = 'desk';
        nth(w.steps, 5).id = 'arrive';
      },
      // the duplicate lane also makes "nurse" steps point at no lane, and the renamed end step leaves a flow dangling
      expected: [
        ['/lanes/1/id', C.duplicateId],
        ['/steps/5/id', C.duplicateId],
        ['/steps/4/lane', C.unknownReference],
        ['/steps/5/lane', C.unknownReference],
        ['/flows/5/to', C.unknownReference],
      ],
    },
    {
      description: 'flow ends that are not steps, and a duplicate flow',
      input: (w) => {
        nth(w.flows, 0).from = 'nowhere';
        nth(w.flows, 5).to = 'gone';
        w.flows.push({ from: 'form', to: 'insured', transfer: 'none' });
      },
      expected: [
        ['/flows/0/from', C.unknownReference],
        ['/flows/5/to', C.unknownReference],
        ['/flows/6', C.duplicateFlow],
      ],
    },
    {
      description: 'decision probabilities that do not sum to 1',
      input: (w) => {
        nth(w.flows, 3).probability = 0.6;
      },
      expected: [['/steps/2', C.probabilitySum]],
    },
    {
      description: 'probabilities within 1e-6 of 1 are accepted',
      input: (w) => {
        nth(w.flows, 2).probability = 0.1;
        nth(w.flows, 3).probability = 0.2 + 0.7; // 0.9000000000000001
      },
      expected: [],
    },
    {
      description: 'partly given probabilities above 1',
      input: (w) => {
        nth(w.flows, 2).probability = undefined;
        nth(w.flows, 3).probability = 1;
        w.flows.push({ from: 'insured', to: 'roomed', probability: 0.5, transfer: 'none' });
      },
      expected: [['/steps/2', C.probabilitySum]],
    },
    {
      description: 'partly given probabilities up to 1 leave the rest to the others',
      input: (w) => {
        delete nth(w.flows, 2).probability;
      },
      expected: [],
    },
    {
      description: 'future-only fields in a current workflow',
      input: (w) => {
        w.baseline = 'x';
        w.retired = ['form'];
        nth(w.steps, 1).replaces = ['old'];
      },
      expected: [
        ['/steps/1/replaces', C.futureOnly],
        ['/baseline', C.futureOnly],
        ['/retired', C.futureOnly],
      ],
    },
    {
      description: 'empty replaces and retired lists are harmless in a current workflow',
      input: (w) => {
        w.retired = [];
        nth(w.steps, 1).replaces = [];
      },
      expected: [],
    },
    {
      description:
        'a document drawn twice: each drawing its own id, links to any step (drawn when the document has them)',
      input: (w) => {
        const step = nth(w.steps, 1).id;
        w.dataObjects = [
          {
            id: 'chart',
            label: 'Chart',
            kind: 'store',
            readBy: [step],
            drawings: [
              { id: 'chart-again', label: 'Chart [signed]', readBy: [step], writtenBy: ['removed'] },
              { id: 'chart' },
              { id: 'chart-again' },
            ],
          },
        ];
      },
      expected: [
        ['/dataObjects/0/drawings/1/id', C.duplicateId],
        ['/dataObjects/0/drawings/2/id', C.duplicateId],
      ],
    },
    {
      description: 'go-live factors outside (0, 1]',
      input: (w) => {
        w.goLive = { capacityFactor: 0, productivityFactor: 1.5 };
      },
      expected: [
        ['/goLive/capacityFactor', C.outOfRange],
        ['/goLive/productivityFactor', C.outOfRange],
      ],
    },
  ]);

  cases<Workflow>(loadWorkflow, fixtures.fixtureFutureWorkflow, [
    { description: 'a valid future workflow loads', input: () => undefined, expected: [] },
    {
      description: 'a future workflow requires a baseline',
      input: (w) => {
        delete w.baseline;
      },
      expected: [['/baseline', C.missingField]],
    },
    {
      description: 'a future workflow cannot be its own baseline',
      input: (w) => {
        w.baseline = w.id;
      },
      expected: [['/baseline', C.unknownReference]],
    },
    {
      description: 'replaces and retired ids are unique',
      input: (w) => {
        nth(w.steps, 1).replaces = ['form', 'form'];
        w.retired = ['x', 'x'];
      },
      expected: [
        ['/steps/1/replaces', C.duplicateItem],
        ['/retired', C.duplicateItem],
      ],
    },
  ]);

  const tagCases: { description: string; input: unknown; expected: Expected }[] = [
    { description: 'not an object', input: [1, 2], expected: [['', C.notPreflight]] },
    { description: 'no format tag', input: { id: 'x' }, expected: [['', C.notPreflight]] },
    { description: 'a foreign tag', input: { format: 'bpmn/2.0' }, expected: [['/format', C.notPreflight]] },
    {
      description: 'a newer workflow',
      input: { format: 'preflight.workflow/v2' },
      expected: [['/format', C.newerVersion]],
    },
    {
      description: 'an older workflow without migration',
      input: { format: 'preflight.workflow/v0' },
      expected: [['/format', C.unsupportedVersion]],
    },
    {
      description: 'another Preflight format',
      input: { format: 'preflight.mapping/v1' },
      expected: [['/format', C.wrongFormat]],
    },
  ];
  it.each(tagCases)('tag: $description', ({ input, expected }) => {
    expect(pairs(loadWorkflow(input))).toEqual(expected);
  });

  it('says a newer file needs a newer Preflight', () => {
    const result = loadWorkflow({ format: 'preflight.workflow/v7' });
    expect(result.ok ? '' : result.problems[0]?.message).toBe(
      'workflow made by a newer Preflight; update Preflight to open it',
    );
  });

  it('returns the very document it was given when valid', () => {
    const doc = fixtures.fixtureFutureWorkflow();
    const result = loadWorkflow(doc);
    expect(result).toEqual({ ok: true, value: doc });
  });
});

describe('loadMapping', () => {
  cases<Mapping>(loadMapping, fixtures.fixtureMapping, [
    { description: 'a valid mapping loads', input: () => undefined, expected: [] },
    {
      description: 'a field with neither from nor const',
      input: (m) => {
        delete nth(m.fields, 0).from;
      },
      expected: [['/fields/0', C.missingField]],
    },
    {
      description: 'a field with both from and const',
      input: (m) => {
        nth(m.fields, 1).from = 'x';
      },
      expected: [['/fields/1', C.conflictingFields]],
    },
    {
      description: 'an unknown transform op',
      input: (m) => {
        nth(m.fields, 0).transform = [any({ op: 'eval', code: 'x' })];
      },
      expected: [['/fields/0/transform/0/op', C.notAllowed]],
    },
    {
      description: 'a transform without op',
      input: (m) => {
        nth(m.fields, 0).transform = [any({ to: 'upper' })];
      },
      expected: [['/fields/0/transform/0/op', C.missingField]],
    },
    {
      description: 'a known op with a missing and an unknown argument',
      input: (m) => {
        nth(m.fields, 0).transform = [any({ op: 'case', upper: true })];
      },
      expected: [
        ['/fields/0/transform/0/to', C.missingField],
        ['/fields/0/transform/0/upper', C.unknownField],
      ],
    },
    {
      description: 'a date transform without formats, a negative split index',
      input: (m) => {
        nth(m.fields, 3).transform = [
          any({ op: 'date', formats: [] }),
          any({ op: 'split', separator: '-', index: -1 }),
        ];
      },
      expected: [
        ['/fields/3/transform/0/formats', C.tooFewItems],
        ['/fields/3/transform/1/index', C.outOfRange],
      ],
    },
    {
      description: 'an unknown target type',
      input: (m) => {
        m.target = any({ type: 'sql', table: 'x' });
      },
      expected: [['/target/type', C.notAllowed]],
    },
    {
      description: 'a FHIR target without resource type, a bad version',
      input: (m) => {
        m.target = any({ type: 'fhir' });
        m.version = 0;
      },
      expected: [
        ['/version', C.outOfRange],
        ['/target/resourceType', C.missingField],
      ],
    },
    {
      description: 'the same target twice',
      input: (m) => {
        nth(m.fields, 1).target = nth(m.fields, 0).target;
      },
      expected: [['/fields/1/target', C.duplicateId]],
    },
    {
      description: 'several columns without concat; concat on one column',
      input: (m) => {
        nth(m.fields, 2).transform = [{ op: 'trim' }];
        nth(m.fields, 0).transform = [{ op: 'concat' }];
      },
      expected: [
        ['/fields/0/transform/0', C.inconsistent],
        ['/fields/2/from', C.inconsistent],
      ],
    },
    {
      description: 'a regular expression that does not compile; bad flags',
      input: (m) => {
        nth(m.fields, 8).transform = [{ op: 'regexReplace', pattern: '([0-9]', replacement: '' }];
        nth(m.fields, 7).transform = [{ op: 'regexReplace', pattern: 'a', flags: 'x', replacement: '' }];
      },
      expected: [['/fields/7/transform/0/flags', C.wrongForm]],
    },
    {
      description: 'a regular expression that does not compile',
      input: (m) => {
        nth(m.fields, 8).transform = [{ op: 'regexReplace', pattern: '([0-9]', replacement: '' }];
      },
      expected: [['/fields/8/transform/0/pattern', C.invalidRegex]],
    },
    {
      description: 'a spelling read as both true and false',
      input: (m) => {
        nth(m.fields, 6).transform = [{ op: 'boolean', true: ['Y', 'J'], false: ['N', 'J'] }];
      },
      expected: [['/fields/6/transform/0/false', C.inconsistent]],
    },
    {
      description: 'an empty key list',
      input: (m) => {
        m.key = [];
      },
      expected: [['/key', C.tooFewItems]],
    },
  ]);
});

describe('loadReport', () => {
  cases<Report>(loadReport, fixtures.fixtureReport, [
    { description: 'a valid report loads', input: () => undefined, expected: [] },
    {
      description: 'valid + invalid must equal records',
      input: (r) => {
        r.summary.valid = 9;
      },
      expected: [['/summary', C.inconsistent]],
    },
    {
      description: 'records not checked (a header that did not match) count beside valid and invalid',
      input: (r) => {
        r.summary.valid = 5;
        r.summary.unchecked = 3;
      },
      expected: [],
    },
    {
      description: 'more examples than occurrences',
      input: (r) => {
        nth(r.issues, 0).count = 0;
      },
      expected: [['/issues/0/examples', C.inconsistent]],
    },
    {
      description: 'a redacted report that still holds values',
      input: (r) => {
        r.redacted = true;
        nth(r.crossFile.orphanReferences, 0).examples.push({ row: 5, value: 'x' });
      },
      expected: [
        ['/issues/0/examples/0/value', C.notRedacted],
        ['/crossFile/orphanReferences/0/examples/1/value', C.notRedacted],
        ['/crossFile/duplicateKeys/0/key', C.notRedacted],
        ['/profiles/0/top', C.notRedacted],
        ['/profiles/0/min', C.notRedacted],
        ['/profiles/0/max', C.notRedacted],
      ],
    },
    {
      description: 'a redacted report without values, keys, top, min or max loads',
      input: (r) => {
        r.redacted = true;
        delete nth(nth(r.issues, 0).examples, 0).value;
        delete nth(r.crossFile.duplicateKeys, 0).key;
        const profile = nth(r.profiles, 0);
        delete profile.top;
        delete profile.min;
        delete profile.max;
      },
      expected: [],
    },
    {
      description: 'dates without zone, a bad hash, a bad severity',
      input: (r) => {
        r.generatedAt = '2025-03-01 09:30';
        nth(r.inputs, 0).sha256 = 'ABC';
        nth(r.issues, 0).severity = any('critical');
      },
      expected: [
        ['/generatedAt', C.wrongForm],
        ['/inputs/0/sha256', C.wrongForm],
        ['/issues/0/severity', C.notAllowed],
      ],
    },
    {
      description: 'timings accept further phases but not objects',
      input: (r) => {
        r.timings.nested = any({ a: 1 });
      },
      expected: [['/timings/nested', C.wrongType]],
    },
  ]);
});

describe('loadSamplePlan', () => {
  cases<SamplePlan>(loadSamplePlan, fixtures.fixtureSamplePlan, [
    { description: 'a valid plan loads', input: () => undefined, expected: [] },
    {
      description: 'rates strictly between 0 and 1, whole acceptance number',
      input: (p) => {
        p.targetErrorRate = 0;
        p.confidence = 1;
        p.acceptanceNumber = 0.5;
      },
      expected: [
        ['/targetErrorRate', C.outOfRange],
        ['/confidence', C.outOfRange],
        ['/acceptanceNumber', C.wrongType],
      ],
    },
    {
      description: 'duplicate stratum ids',
      input: (p) => {
        nth(p.population.strata, 1).id = 'patients';
      },
      expected: [['/population/strata/1/id', C.duplicateId]],
    },
    {
      description: 'a minor rate stricter than the major one',
      input: (p) => {
        p.minorTargetErrorRate = 0.01;
      },
      expected: [['/minorTargetErrorRate', C.inconsistent]],
    },
    {
      description: 'a seed that is not digits; a malformed superseded hash; no strata',
      input: (p) => {
        p.seed = 'abc-xyz';
        p.supersedes = 'f'.repeat(63);
        p.population.strata = [];
      },
      expected: [
        ['/population/strata', C.tooFewItems],
        ['/seed', C.wrongForm],
        ['/supersedes', C.wrongForm],
      ],
    },
  ]);
});

describe('loadDocument with a migration that throws', () => {
  it('returns a migration-failed problem instead of throwing, without the error text', () => {
    const definition = {
      ...workflowFormat,
      migrations: [
        {
          from: 'preflight.workflow/v0',
          to: 'preflight.workflow/v1',
          migrate: () => {
            throw new TypeError('Jane Q. Patient');
          },
        },
      ],
    };
    const result = loadDocument(definition, { format: 'preflight.workflow/v0' });
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          path: '/format',
          code: C.migrationFailed,
          message: 'workflow from an older Preflight could not be converted to this version',
        },
      ],
    });
  });
});
