/**
 * The session loads what it needs on demand: structure modules per resource type, and FHIRPath in
 * the background (or, for a batch run, when first needed) — a resource with no invariant to
 * evaluate never waits for it, one that has waits and is then judged like any other.
 */
import { describe, expect, it } from 'vitest';
import { fhirPathEngine } from './fhirPathEngine.ts';
import { generatedModules } from './generatedModules.ts';
import type { FhirPathEngine } from './invariants.ts';
import { createFhirSession, type FhirModuleLoader } from './validator.ts';

/** A loader whose FHIRPath arrives only when the test releases it, counting module loads. */
function gatedLoader() {
  let release: (engine: FhirPathEngine) => void = () => {};
  const gate = new Promise<FhirPathEngine>((resolve) => {
    release = resolve;
  });
  const structures: string[] = [];
  const asked = { fhirPath: 0 };
  const loader: FhirModuleLoader = {
    digest: () => generatedModules.digest(),
    structure: (type) => {
      structures.push(type);
      return generatedModules.structure(type);
    },
    fhirPath: () => {
      asked.fhirPath++;
      return gate;
    },
  };
  return { loader, structures, asked, release: () => release(fhirPathEngine) };
}

const riskAssessment = {
  resourceType: 'RiskAssessment',
  status: 'final',
  subject: { reference: 'Patient/1' },
  prediction: [{ probabilityDecimal: 101 }],
};

describe('createFhirSession', () => {
  it('validates a resource without invariants to evaluate before FHIRPath has loaded', async () => {
    const { loader, structures } = gatedLoader();
    const session = await createFhirSession(loader);
    expect(
      (await session.validate({ resourceType: 'Patient', gender: 'x' })).issues.map((i) => i.rule),
    ).toEqual(['fhir-value-not-allowed']);
    expect(structures).toEqual(['Patient']);
  });

  it('makes a resource that needs FHIRPath wait for it, then judges it', async () => {
    const { loader, release } = gatedLoader();
    const session = await createFhirSession(loader);
    await session.validate({ resourceType: 'Patient' }); // loads a module; FHIRPath still gated
    expect(session.tryValidate(riskAssessment)).toBeUndefined();
    const pending = session.validate(riskAssessment);
    release();
    expect((await pending).issues.map((i) => `${i.rule} @ ${i.location}`)).toEqual([
      'fhir-invariant @ RiskAssessment.prediction[0]',
    ]);
    expect(session.tryValidate(riskAssessment)?.issues).toHaveLength(1);
  });

  it('on demand, loads FHIRPath only when a resource first needs it, and once', async () => {
    const { loader, asked, release } = gatedLoader();
    const session = await createFhirSession({ ...loader, fhirPathLoad: 'on-demand' });
    // con-5 and the like are answered on the JSON: no FHIRPath for these
    await session.validate({ resourceType: 'Patient' });
    await session.validate({
      resourceType: 'Condition',
      subject: { reference: 'Patient/1' },
      clinicalStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
      },
      verificationStatus: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }],
      },
    });
    expect(asked.fhirPath).toBe(0);
    expect(session.tryValidate(riskAssessment)).toBeUndefined();
    const pending = session.validate(riskAssessment);
    release();
    expect((await pending).issues.map((i) => `${i.rule} @ ${i.location}`)).toEqual([
      'fhir-invariant @ RiskAssessment.prediction[0]',
    ]);
    await session.validate(riskAssessment);
    expect(asked.fhirPath).toBe(1);
  });

  it('loads each structure module once, nested resources included', async () => {
    const { loader, structures } = gatedLoader();
    const session = await createFhirSession(loader, { layers: ['json', 'structure'] });
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ resource: { resourceType: 'Patient' } }, { resource: { resourceType: 'Patient' } }],
    };
    await session.validate(bundle);
    await session.validate(bundle);
    expect(structures).toEqual(['Bundle', 'Patient']);
  });
});
