/**
 * A profile's discriminator paths name elements of the element they slice, as the HL7 Java
 * validator checks a StructureDefinition: a table of slicings judged on R4's types, including
 * HL7's case of a `type` discriminator on an extension, and paths that cannot be told here and
 * pass.
 */
import { describe, expect, it } from 'vitest';
import { generatedModules } from './generatedModules.ts';
import { createFhirSession } from './validator.ts';

const session = await createFhirSession(generatedModules);

/** A profile of `type` whose differential holds `elements`. */
const profile = (type: string, elements: unknown[]) => ({
  resourceType: 'StructureDefinition',
  url: `http://example.org/fhir/StructureDefinition/${type}-sliced`,
  name: 'Sliced',
  status: 'draft',
  kind: 'resource',
  abstract: false,
  type,
  baseDefinition: `http://hl7.org/fhir/StructureDefinition/${type}`,
  derivation: 'constraint',
  differential: { element: elements },
});

const sliced = (path: string, discriminatorPath: string, more: Record<string, unknown> = {}) => ({
  id: path,
  path,
  slicing: { discriminator: [{ type: 'value', path: discriminatorPath }], rules: 'open' },
  ...more,
});

/** The locations of the discriminator errors of a profile. */
async function flagged(sd: unknown): Promise<string[]> {
  const { issues } = await session.validate(sd);
  return issues.filter((i) => i.rule === 'fhir-definition-discriminator').map((i) => i.location);
}

const CASES: { description: string; sd: unknown; expected: string[] }[] = [
  {
    description: 'a `type` discriminator on an extension (HL7 case Slice23)',
    sd: profile('AuditEvent', [sliced('AuditEvent.agent.extension', 'type')]),
    expected: ['StructureDefinition.differential.element[0].slicing.discriminator[0].path'],
  },
  {
    description: 'an extension sliced by url, or by its value (a choice by its stem)',
    sd: profile('AuditEvent', [
      sliced('AuditEvent.agent.extension', 'url'),
      sliced('Patient.extension', 'value'),
    ]),
    expected: [],
  },
  {
    description: 'a backbone element sliced by a child and a grandchild',
    sd: profile('Observation', [
      sliced('Observation.component', 'code'),
      sliced('Observation.category', 'coding.code'),
    ]),
    expected: [],
  },
  {
    description: 'a CodeableConcept sliced by an element it lacks',
    sd: profile('Observation', [sliced('Observation.category', 'coding.kode')]),
    expected: ['StructureDefinition.differential.element[0].slicing.discriminator[0].path'],
  },
  {
    description: "the element's own type in the differential is read first",
    sd: profile('Observation', [sliced('Observation.extension', 'system', { type: [{ code: 'Coding' }] })]),
    expected: [],
  },
  {
    description: 'paths that cannot be told here pass: functions, $this, a nested resource, a choice',
    sd: profile('Bundle', [
      sliced('Bundle.entry', 'resource.meta'),
      sliced('Bundle.entry', "resource.extension('http://a.b/c').value"),
      sliced('Bundle.entry', '$this'),
      sliced('Bundle.entry', 'resource.ofType(Patient).name'),
    ]),
    expected: [],
  },
];

describe("a profile's discriminator paths", () => {
  it.each(CASES)('$description', async ({ sd, expected }) => {
    expect(await flagged(sd)).toEqual(expected);
  });
});
