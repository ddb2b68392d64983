/**
 * Base R4 follow-ons: an invariant that fails because of an error a base layer already found where
 * it reads — a required element missing, an empty object — names that error as its cause, as a
 * profile's follow-on does: the OperationOutcome says "follows from issue N (its root cause)" and
 * the report folds it under that root, by the same root-cause function (`rootCauseOf`). An
 * invariant that fails on its own stays a problem of its own.
 */
import { describe, expect, it } from 'vitest';
import { generatedModules } from './generatedModules.ts';
import { elementsRead } from './invariants.ts';
import { toOperationOutcome } from './outcomes.ts';
import { createFhirRun } from './run.ts';
import { createFhirSession } from './validator.ts';

const session = await createFhirSession(generatedModules);
const TIMES = {
  startedAt: '2026-01-01T00:00:00Z',
  generatedAt: '2026-01-01T00:00:01Z',
  totalMs: 1,
  version: '0',
};

const cases: {
  description: string;
  resource: Record<string, unknown>;
  /** each issue as `rule @ location`, with ` <- n` naming the (1-based) issue it follows from */
  outcome: string[];
  /** the report's listed issues (root causes), with the rules folded under each */
  listed: string[];
}[] = [
  {
    description: 'a Questionnaire item without its required type: que-1 follows from it',
    resource: { resourceType: 'Questionnaire', status: 'draft', item: [{ linkId: '1' }] },
    outcome: ['fhir-required @ Questionnaire.item[0].type', 'fhir-invariant @ Questionnaire.item[0] <- 1'],
    listed: ['fhir-required @ Questionnaire.item.type [fhir-invariant]'],
  },
  {
    description: 'three items, the second with its type: each que-1 follows from its own item',
    resource: {
      resourceType: 'Questionnaire',
      status: 'draft',
      item: [{ linkId: '1' }, { linkId: '2', type: 'group' }, { linkId: '3' }],
    },
    outcome: [
      'fhir-required @ Questionnaire.item[0].type',
      'fhir-required @ Questionnaire.item[2].type',
      'fhir-invariant @ Questionnaire.item[0] <- 1',
      'fhir-invariant @ Questionnaire.item[1]',
      'fhir-invariant @ Questionnaire.item[2] <- 2',
    ],
    listed: [
      'fhir-required @ Questionnaire.item.type [fhir-invariant]',
      'fhir-invariant @ Questionnaire.item',
    ],
  },
  {
    description: 'an empty Patient.contact: pat-1 follows from the empty object',
    resource: { resourceType: 'Patient', contact: [{}] },
    outcome: ['fhir-empty @ Patient.contact[0]', 'fhir-invariant @ Patient.contact[0] <- 1'],
    listed: ['fhir-empty @ Patient.contact [fhir-invariant]'],
  },
  {
    description: 'an empty Observation.referenceRange: obs-3 follows from the empty object',
    resource: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, referenceRange: [{}] },
    outcome: [
      'fhir-empty @ Observation.referenceRange[0]',
      'fhir-invariant @ Observation.referenceRange[0] <- 1',
    ],
    listed: ['fhir-empty @ Observation.referenceRange [fhir-invariant]'],
  },
  {
    description: 'a group item with no nested items: que-1 on its own',
    resource: { resourceType: 'Questionnaire', status: 'draft', item: [{ linkId: '1', type: 'group' }] },
    outcome: ['fhir-invariant @ Questionnaire.item[0]'],
    listed: ['fhir-invariant @ Questionnaire.item'],
  },
  {
    description: 'a coded quantity without a system: qty-3 on its own (system is not required)',
    resource: {
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'x' },
      valueQuantity: { code: 'mg' },
    },
    outcome: ['fhir-invariant @ Observation.valueQuantity'],
    listed: ['fhir-invariant @ Observation.valueQuantity'],
  },
  {
    description: 'a required element missing elsewhere: que-1 is not linked to it',
    resource: { resourceType: 'Questionnaire', item: [{ linkId: '1', type: 'group' }] },
    outcome: ['fhir-required @ Questionnaire.status', 'fhir-invariant @ Questionnaire.item[0]'],
    listed: ['fhir-required @ Questionnaire.status', 'fhir-invariant @ Questionnaire.item'],
  },
  // an error deeper inside a child the invariant reads is no cause of it: fixing it leaves the
  // invariant failing, so it must stay a problem of its own
  {
    description: 'a document Bundle without a Composition and a bad gender in its entry: bdl-11 on its own',
    resource: {
      resourceType: 'Bundle',
      type: 'document',
      identifier: { system: 'urn:ietf:rfc:3986', value: 'urn:uuid:0b7c6f2e-1d2a-4c3b-9a8e-0000000000aa' },
      timestamp: '2026-01-01T00:00:00Z',
      entry: [
        {
          fullUrl: 'urn:uuid:0b7c6f2e-1d2a-4c3b-9a8e-000000000001',
          resource: { resourceType: 'Patient', gender: 'U' },
        },
      ],
    },
    outcome: ['fhir-value-not-allowed @ Bundle.entry[0].resource.gender', 'fhir-invariant @ Bundle'],
    listed: ['fhir-value-not-allowed @ Bundle.entry.resource.gender', 'fhir-invariant @ Bundle'],
  },
  {
    description: 'a collection with entry.search and a bad gender in another entry: bdl-2 on its own',
    resource: {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          fullUrl: 'urn:uuid:0b7c6f2e-1d2a-4c3b-9a8e-000000000001',
          resource: { resourceType: 'Patient', gender: 'U' },
        },
        {
          fullUrl: 'urn:uuid:0b7c6f2e-1d2a-4c3b-9a8e-000000000002',
          resource: { resourceType: 'Patient' },
          search: { mode: 'match' },
        },
      ],
    },
    outcome: ['fhir-value-not-allowed @ Bundle.entry[0].resource.gender', 'fhir-invariant @ Bundle'],
    listed: ['fhir-value-not-allowed @ Bundle.entry.resource.gender', 'fhir-invariant @ Bundle'],
  },
  {
    description: 'a nested contained resource and a bad gender in the contained one: dom-2 on its own',
    resource: {
      resourceType: 'Patient',
      contained: [
        {
          resourceType: 'Patient',
          id: 'p1',
          gender: 'U',
          contained: [{ resourceType: 'Patient', id: 'p2' }],
        },
      ],
      // referred to, so dom-3 (an orphan contained resource) is not the finding
      link: [{ other: { reference: '#p1' }, type: 'seealso' }],
    },
    outcome: ['fhir-value-not-allowed @ Patient.contained[0].gender', 'fhir-invariant @ Patient'],
    listed: ['fhir-value-not-allowed @ Patient.contained.gender', 'fhir-invariant @ Patient'],
  },
  {
    description: 'a value and a dataAbsentReason with an empty display: obs-6 on its own',
    resource: {
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'x' },
      valueString: 'x',
      dataAbsentReason: { coding: [{ display: '' }] },
    },
    outcome: ['fhir-empty @ Observation.dataAbsentReason.coding[0].display', 'fhir-invariant @ Observation'],
    listed: ['fhir-empty @ Observation.dataAbsentReason.coding.display', 'fhir-invariant @ Observation'],
  },
  {
    description: 'a value and an empty dataAbsentReason: obs-6 follows from the child itself',
    resource: {
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'x' },
      valueString: 'x',
      dataAbsentReason: {},
    },
    outcome: ['fhir-empty @ Observation.dataAbsentReason', 'fhir-invariant @ Observation <- 1'],
    listed: ['fhir-empty @ Observation.dataAbsentReason [fhir-invariant]'],
  },
];

describe('base R4 follow-ons', () => {
  it.each(cases)('$description', async ({ resource, outcome, listed }) => {
    const { issues } = await session.validate(resource);
    const oo = toOperationOutcome(issues) as {
      issue: { diagnostics: string; expression?: string[] }[];
    };
    expect(
      oo.issue.map((i, n) => {
        const root = /follows from issue (\d+) \(its root cause\)/.exec(i.diagnostics)?.[1];
        const rule = /^rule (\S+?)(;|$)/.exec(i.diagnostics)?.[1];
        return `${rule} @ ${issues[n]?.location}${root ? ` <- ${root}` : ''}`;
      }),
    ).toEqual(outcome);
    const run = createFhirRun(session);
    await run.addJson('r.json', JSON.stringify(resource));
    const report = run.report(TIMES);
    expect(
      report.issues.map(
        (i) =>
          `${i.rule} @ ${i.location}${i.derived?.length ? ` [${i.derived.map((d) => d.rule).join(', ')}]` : ''}`,
      ),
    ).toEqual(listed);
    // folding lists root causes only; the summary still counts every error
    expect(report.summary.errors).toBe(outcome.length);
  });

  it.each([
    { expression: "(type='group' implies item.empty().not())", reads: ['item', 'type'] },
    { expression: "code.empty() or system.exists() or 'a.b' = 'c'", reads: ['code', 'system'] },
    { expression: "%resource.contained.id.trace('x') and $this.name.exists()", reads: ['and'] },
  ])('reads the child elements of $expression', ({ expression, reads }) => {
    expect([...elementsRead(expression)].filter((n) => !['implies', 'or'].includes(n)).sort()).toEqual(reads);
  });
});
