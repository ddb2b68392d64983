/**
 * The invariant shortcuts skip FHIRPath only where the result is certainly true; checked two ways:
 * a table of shapes, and every invariant of the digest evaluated with and without the shortcut
 * on resources lacking the elements (the shortcut must never hide a failure).
 */
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import { describe, expect, it } from 'vitest';
import { generatedModules } from './generatedModules.ts';
import {
  createInvariantChecker,
  MissingFhirPathError,
  trueWhenAbsent,
  trueWhenPresent,
} from './invariants.ts';
import { IssueSink } from './issues.ts';
import { FHIR_LAYERS } from './rules.ts';

describe('trueWhenAbsent', () => {
  it.each([
    { expression: 'dataAbsentReason.empty() or value.empty()', expected: [['dataAbsentReason'], ['value']] },
    {
      expression:
        'value.empty() or component.code.where(coding.intersect(%resource.code.coding).exists()).empty()',
      expected: [['value'], ['component']],
    },
    {
      expression: 'contained.meta.versionId.empty() and contained.meta.lastUpdated.empty()',
      expected: [['contained', 'contained']],
    },
    { expression: "fullUrl.exists() implies fullUrl.contains('/_history/').not()", expected: [['fullUrl']] },
    {
      expression:
        "verificationStatus.coding.where(system='x' and code='y').empty() or clinicalStatus.empty()",
      expected: [['verificationStatus'], ['clinicalStatus']],
    },
    // not certain: no shortcut
    { expression: 'name.exists() or telecom.exists()', expected: [] },
    { expression: "type = 'document' implies (identifier.system.exists())", expected: [] },
    { expression: 'a.empty() and b.exists()', expected: [] },
    { expression: 'enableWhen.count() > 1 implies enableBehavior.exists()', expected: [] },
    { expression: '(a.empty() or b) and c', expected: [] },
  ])('$expression', ({ expression, expected }) => {
    expect(trueWhenAbsent(expression)).toEqual(expected);
  });

  it('never skips an invariant that FHIRPath would fail, for any invariant of the specification', async () => {
    const digest = await generatedModules.digest();
    let checked = 0;
    for (const [resourceType, invariants] of Object.entries(digest.invariants)) {
      for (const invariant of invariants) {
        for (const names of trueWhenAbsent(invariant.expression)) {
          // a node without those elements (but with others, so it is not trivially empty)
          const node: Record<string, unknown> = { id: 'x', resourceType };
          for (const name of names) delete node[name];
          let result: unknown[];
          try {
            result = fhirpath.evaluate(
              node,
              { base: invariant.path, expression: invariant.expression },
              { resource: node },
              r4,
              { async: false },
            );
          } catch {
            continue; // FHIRPath.js cannot evaluate it at all: the layer skips it anyway
          }
          expect(result, `${invariant.key} without ${names.join(', ')}`).toEqual([true]);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(300);
  });
});

describe('trueWhenPresent', () => {
  it.each([
    { expression: 'code.empty() or system.exists()', expected: ['system'] },
    { expression: 'data.empty() or contentType.exists()', expected: ['contentType'] },
    { expression: 'name.exists() or telecom.exists()', expected: ['name', 'telecom'] },
    // not certain: no shortcut
    { expression: 'system.exists()', expected: [] },
    { expression: 'code.empty() or (system.exists() and value.exists())', expected: [] },
    { expression: 'a.empty() and b.exists()', expected: [] },
    { expression: "system.exists() implies code.startsWith('x')", expected: [] },
  ])('$expression', ({ expression, expected }) => {
    expect(trueWhenPresent(expression)).toEqual(expected);
  });

  it('never skips an invariant that FHIRPath would fail, for any invariant of the specification', async () => {
    const digest = await generatedModules.digest();
    let checked = 0;
    for (const [owner, invariants] of Object.entries(digest.invariants)) {
      for (const invariant of invariants) {
        for (const name of trueWhenPresent(invariant.expression)) {
          // the element present, with a value of its own type where the digest knows it
          const elements = digest.types[invariant.path]?.elements ?? {};
          const type = elements[name]?.type ?? 'string';
          const value =
            type === 'boolean'
              ? true
              : digest.types[type]?.kind === 'primitive' || /^[a-z]/.test(type)
                ? 'x'
                : { id: 'x' };
          const node: Record<string, unknown> = {
            resourceType: owner,
            [name]: elements[name]?.max === -1 ? [value] : value,
          };
          let result: unknown[];
          try {
            result = fhirpath.evaluate(
              node,
              { base: invariant.path, expression: invariant.expression },
              { resource: node },
              r4,
              { async: false },
            );
          } catch {
            continue;
          }
          expect(result, `${invariant.key} with ${name}`).toEqual([true]);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});

describe('invariants of the simple kind', () => {
  const VER_STATUS = 'http://terminology.hl7.org/CodeSystem/condition-ver-status';
  const errorsOf = async (
    resource: Record<string, unknown>,
    nodes: { node: Record<string, unknown>; path: string; location: string }[] = [],
  ): Promise<string[]> => {
    // no FHIRPath engine: a resource that needed it would throw MissingFhirPathError
    const checker = createInvariantChecker(await generatedModules.digest(), () => undefined);
    const sink = new IssueSink(new Set(FHIR_LAYERS));
    checker.check(resource, String(resource.resourceType), String(resource.resourceType), nodes, sink);
    return sink.issues.map((i) => `${i.location} ${i.message.split(':')[0]}`);
  };

  it('are answered on the JSON, failures included, without loading FHIRPath', async () => {
    const condition = {
      resourceType: 'Condition',
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
      },
      verificationStatus: { coding: [{ system: VER_STATUS, code: 'entered-in-error' }] },
      subject: { reference: 'Patient/1' },
    };
    expect(await errorsOf(condition)).toEqual(['Condition con-5']);
    expect(
      await errorsOf({
        ...condition,
        verificationStatus: { coding: [{ system: VER_STATUS, code: 'confirmed' }] },
      }),
    ).toEqual([]);
    const repeat = { period: -1, periodUnit: 'd' };
    const timing = { resourceType: 'MedicationRequest', dosageInstruction: [{ timing: { repeat } }] };
    const at = 'MedicationRequest.dosageInstruction[0].timing.repeat';
    expect(await errorsOf(timing, [{ node: repeat, path: 'Timing.repeat', location: at }])).toEqual([
      `${at} tim-5`,
    ]);
  });

  it('answer obs-7 in code, and leave to FHIRPath what that reading cannot be sure of', async () => {
    const observation = {
      resourceType: 'Observation',
      code: { coding: [{ system: 'http://loinc.org', code: '1' }] },
      valueString: 'x',
      component: [{ code: { coding: [{ system: 'http://loinc.org', code: '1' }] } }],
    };
    expect(await errorsOf(observation)).toEqual(['Observation obs-7']);
    // a Coding with an extension is compared by FHIRPath.js's own rules
    const extended = {
      ...observation,
      component: [
        { code: { coding: [{ system: 'http://loinc.org', code: '1', extension: [{ url: 'urn:x' }] }] } },
      ],
    };
    await expect(errorsOf(extended)).rejects.toThrow(MissingFhirPathError);
  });
});
