/**
 * Expressions answered in code agree with FHIRPath.js, the engine they stand in for, on every node
 * of the US Core 6.1.0 examples they apply to and on hand-made edge cases: each answers true
 * exactly where FHIRPath.js holds the invariant (a result of `[true]`, or an error, which both
 * layers pass), and each is answered (not left to FHIRPath.js) on most nodes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { usCoreExamples } from '../../../tests/fixtures/usCorePackage.ts';
import { loadFhirPathEngine } from './generatedModules.ts';
import type { FhirPathEngine } from './invariants.ts';
import { NATIVE_EXPRESSIONS } from './nativeExpressions.ts';
import { UNKNOWN } from './unknownAnswer.ts';

type Json = Record<string, unknown>;

let engine: FhirPathEngine;
/** every resource of the examples, Bundle entries and contained resources included */
let resources: Json[];
beforeAll(async () => {
  engine = await loadFhirPathEngine();
  resources = [];
  const collect = (r: Json) => {
    resources.push(r);
    for (const c of Array.isArray(r.contained) ? r.contained : []) collect(c as Json);
    for (const e of Array.isArray(r.entry) ? r.entry : [])
      if ((e as Json).resource) collect((e as Json).resource as Json);
  };
  for (const example of await usCoreExamples()) collect(example.resource);
});

const [NPI, OBS_7, QRS_2, QUE_2, PROVENANCE_1] = [...NATIVE_EXPRESSIONS.keys()] as string[];
const LOINC = 'http://loinc.org';

/** A node and the resource it is in (FHIRPath's %resource). */
type Case = { node: unknown; resource: Json };

interface Table {
  expression: string;
  /** FHIRPath.js's base path for the node */
  base: string;
  /** the nodes of one example resource the expression is declared on */
  fromExample: (r: Json) => unknown[];
  edges: Case[];
  /** whether it must be answered false somewhere (provenance-1 never fails in FHIRPath.js) */
  fails: boolean;
}

const obs = (extra: Json): Json => ({
  resourceType: 'Observation',
  status: 'final',
  code: { coding: [{ system: LOINC, code: '85354-9' }] },
  ...extra,
});
const self = (resource: Json): Case => ({ node: resource, resource });
const identifier = (value: Json): Case => ({
  node: value,
  resource: { resourceType: 'Practitioner', identifier: [value] },
});
const qr = (item: unknown[]): Json => ({ resourceType: 'QuestionnaireResponse', status: 'completed', item });

const TABLES: Table[] = [
  {
    expression: NPI as string,
    base: 'Practitioner.identifier',
    fromExample: (r) =>
      r.resourceType === 'Practitioner' || r.resourceType === 'Organization'
        ? ((r.identifier as unknown[] | undefined)?.filter(
            (i) => (i as Json).system === 'http://hl7.org/fhir/sid/us-npi',
          ) ?? [])
        : [],
    edges: [
      identifier({ system: 'http://hl7.org/fhir/sid/us-npi', value: '1234567893' }),
      identifier({ value: '1234567890' }),
      identifier({ value: '123456789' }),
      identifier({ value: '12345678931' }),
      identifier({ value: '12345678939' }),
      identifier({ value: 'A234567893' }),
      identifier({ value: '12345+7893' }),
      identifier({ value: '' }),
      identifier({ system: 'http://hl7.org/fhir/sid/us-npi' }),
      identifier({ value: '9999999995' }),
      identifier({ value: '1111111112' }),
      identifier({ value: '١٢٣٤٥٦٧٨٩٣' }),
    ],
    fails: true,
  },
  {
    expression: OBS_7 as string,
    base: 'Observation',
    fromExample: (r) => (r.resourceType === 'Observation' ? [r] : []),
    edges: [
      self(obs({ valueString: 'x' })),
      self(obs({ component: [{ code: { coding: [{ system: LOINC, code: '85354-9' }] } }] })),
      self(
        obs({
          valueQuantity: { value: 1 },
          component: [{ code: { coding: [{ system: LOINC, code: '85354-9' }] }, valueString: 'a' }],
        }),
      ),
      self(
        obs({
          valueQuantity: { value: 1 },
          component: [{ code: { coding: [{ code: '85354-9', system: LOINC }] } }],
        }),
      ),
      self(
        obs({
          valueQuantity: { value: 1 },
          component: [{ code: { coding: [{ system: LOINC, code: '85354-9', display: 'BP' }] } }],
        }),
      ),
      self(
        obs({
          valueQuantity: { value: 1 },
          component: [{ code: { coding: [{ system: LOINC, code: '8480-6' }] } }, { code: { text: 'x' } }],
        }),
      ),
      self(obs({ valueBoolean: false, component: [{ valueString: 'no code' }] })),
      self(obs({ code: { text: 'no coding' }, valueInteger: 1, component: [{ code: { text: 'x' } }] })),
    ],
    fails: true,
  },
  {
    expression: QRS_2 as string,
    base: 'QuestionnaireResponse',
    fromExample: (r) => (r.resourceType === 'QuestionnaireResponse' ? [r] : []),
    edges: [
      self(qr([])),
      self(
        qr([
          { linkId: '1', answer: [{ valueString: 'a' }] },
          { linkId: '1', answer: [{ valueString: 'b' }] },
        ]),
      ),
      self(
        qr([
          { linkId: '1', answer: [{ valueString: 'a' }] },
          { linkId: '1', text: 'no answer' },
        ]),
      ),
      self(
        qr([
          {
            linkId: '1',
            answer: [
              {
                valueCoding: { code: 'x' },
                item: [
                  { linkId: '2', answer: [{ valueInteger: 1 }] },
                  { linkId: '2', answer: [{ valueInteger: 2 }] },
                ],
              },
            ],
          },
        ]),
      ),
      self(
        qr([
          { linkId: 'g', item: [{ linkId: '2', answer: [{ valueInteger: 1 }] }] },
          { linkId: 'h', item: [{ linkId: '2', answer: [{ valueInteger: 2 }] }] },
        ]),
      ),
      self(qr([{ linkId: 'g', item: [{ linkId: '2', answer: [{ valueDate: '2020' }] }, { linkId: '2' }] }])),
    ],
    fails: true,
  },
  {
    expression: QUE_2 as string,
    base: 'Questionnaire',
    fromExample: (r) => (r.resourceType === 'Questionnaire' ? [r] : []),
    edges: [
      self({ resourceType: 'Questionnaire', status: 'active' }),
      self({
        resourceType: 'Questionnaire',
        status: 'active',
        item: [
          { linkId: '1', type: 'group', item: [{ linkId: '1.1', type: 'string' }] },
          { linkId: '2', type: 'string' },
        ],
      }),
      self({
        resourceType: 'Questionnaire',
        status: 'active',
        item: [
          { linkId: '1', type: 'group', item: [{ linkId: '2', type: 'string' }] },
          { linkId: '2', type: 'string' },
        ],
      }),
      self({
        resourceType: 'Questionnaire',
        status: 'active',
        contained: [
          { resourceType: 'Questionnaire', status: 'active', item: [{ linkId: 'a', type: 'string' }] },
        ],
        item: [{ linkId: 'a', type: 'string' }],
      }),
    ],
    fails: true,
  },
  {
    expression: PROVENANCE_1 as string,
    base: 'Provenance.agent',
    fromExample: (r) => (r.resourceType === 'Provenance' ? ((r.agent as unknown[] | undefined) ?? []) : []),
    edges: [
      { node: { who: { reference: 'Practitioner/1' } }, resource: { resourceType: 'Provenance' } },
      {
        node: { who: { reference: 'Device/1' }, onBehalfOf: { reference: 'Organization/1' } },
        resource: { resourceType: 'Provenance' },
      },
      { node: { type: { text: 'author' } }, resource: { resourceType: 'Provenance' } },
    ],
    fails: false,
  },
];

/** FHIRPath.js holds the invariant: `[true]`, or an error (which both layers pass). */
const compiled = new Map<string, ReturnType<FhirPathEngine['compile']>>();
function holdsInFhirPath(expression: string, base: string, { node, resource }: Case): boolean {
  if (!compiled.has(expression)) compiled.set(expression, engine.compile(base, expression));
  const run = compiled.get(expression);
  if (!run) return true;
  try {
    const result = run(node, { resource, rootResource: resource });
    return result.length === 1 && result[0] === true;
  } catch {
    return true;
  }
}

describe('expressions answered in code', () => {
  it('has one table per expression', () => {
    expect(TABLES.map((t) => t.expression).sort()).toEqual([...NATIVE_EXPRESSIONS.keys()].sort());
  });

  for (const table of TABLES) {
    it(`agrees with FHIRPath.js: ${table.expression.slice(0, 60)}`, () => {
      const native = NATIVE_EXPRESSIONS.get(table.expression);
      const cases: Case[] = [
        ...resources.flatMap((r) => table.fromExample(r).map((node) => ({ node, resource: r }))),
        ...table.edges,
      ];
      let answered = 0;
      const seen = new Set<unknown>();
      for (const c of cases) {
        const mine = native?.(c.node, c.resource);
        if (mine === UNKNOWN) continue;
        answered++;
        seen.add(mine === true);
        expect(mine === true, JSON.stringify(c.node).slice(0, 300)).toBe(
          holdsInFhirPath(table.expression, table.base, c),
        );
      }
      expect(answered).toBeGreaterThan(cases.length * 0.8);
      expect(seen.has(true)).toBe(true);
      if (table.fails) expect(seen.has(false)).toBe(true);
    });
  }

  it('leaves to FHIRPath.js what it cannot be sure of', () => {
    const npi = NATIVE_EXPRESSIONS.get(NPI as string);
    expect(npi?.({ _value: { extension: [] }, value: '1234567893' }, {})).toBe(UNKNOWN);
    expect(npi?.({ value: 1234567893 }, {})).toBe(UNKNOWN);
    const obs7 = NATIVE_EXPRESSIONS.get(OBS_7 as string);
    const withExtension = obs({
      valueString: 'x',
      component: [{ code: { coding: [{ system: LOINC, code: '1', extension: [{ url: 'urn:x' }] }] } }],
    });
    expect(obs7?.(withExtension, withExtension)).toBe(UNKNOWN);
    const onlyExtension = obs({ _valueString: { extension: [{ url: 'urn:x', valueString: 'y' }] } });
    expect(obs7?.(onlyExtension, onlyExtension)).toBe(UNKNOWN);
    const qrs2 = NATIVE_EXPRESSIONS.get(QRS_2 as string);
    expect(qrs2?.(qr([{ linkId: '1', answer: [{ _valueString: {} }] }]), undefined)).toBe(UNKNOWN);
    const que2 = NATIVE_EXPRESSIONS.get(QUE_2 as string);
    expect(que2?.({ resourceType: 'Questionnaire', item: [{ _linkId: {} }] }, undefined)).toBe(UNKNOWN);
  });
});
