/**
 * What a bulk export shows that the base checks got wrong or left unsaid: a base64Binary has no
 * 1 MB limit (a PDF in Attachment.data), a `string` keeps it; a conditional reference
 * (`Practitioner?identifier=…`) resolves only inside a transaction Bundle and is a warning
 * anywhere else; a claimed profile (`meta.profile`) is information, "not checked". Then the run:
 * unknown extensions and claimed profiles are grouped by URL with counts, their examples spread
 * over the file, and the OperationOutcome text names the extension. Where each reference finding
 * goes: a conditional reference is the resource's own and is in its OperationOutcome; a `Type/id`
 * not in the export is known only at the end, and is in the report only
 * (docs/decisions/0083-r4-base-built-in-and-base-follow-ons.md).
 */
import { describe, expect, it } from 'vitest';
import { generatedModules } from './generatedModules.ts';
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
const MB = 1024 * 1024;

const observation = (extra: Record<string, unknown>) => ({
  resourceType: 'Observation',
  status: 'final',
  code: { text: 'x' },
  ...extra,
});
const conditional = { reference: 'Practitioner?identifier=http://clinic.test/staff|42' };
const bundle = (type: string, entry: Record<string, unknown>) => ({
  resourceType: 'Bundle',
  type,
  entry: [
    {
      fullUrl: 'urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0',
      resource: observation({ performer: [conditional] }),
      ...entry,
    },
  ],
});

describe('findings on one resource', () => {
  it.each([
    {
      description: 'a 1.3 MB base64Binary attachment: no limit',
      resource: {
        resourceType: 'Binary',
        contentType: 'application/pdf',
        data: 'QUJD'.repeat(Math.ceil((1.3 * MB) / 4)),
      },
      expected: [],
    },
    {
      description: 'a string over 1 MB: too long',
      resource: { resourceType: 'Patient', name: [{ text: 'a'.repeat(MB + 1) }] },
      expected: ['error fhir-too-long @ Patient.name[0].text'],
    },
    {
      description: 'a conditional reference on its own: a warning',
      resource: observation({ performer: [conditional] }),
      expected: ['warning fhir-reference-conditional @ Observation.performer[0].reference'],
    },
    {
      description: 'a conditional reference in a collection Bundle: a warning',
      resource: bundle('collection', {}),
      expected: ['warning fhir-reference-conditional @ Bundle.entry[0].resource.performer[0].reference'],
    },
    {
      description: 'a conditional reference in a transaction Bundle: resolved by the server',
      resource: bundle('transaction', { request: { method: 'POST', url: 'Observation' } }),
      expected: [],
    },
    {
      description: 'a claimed profile no package defines: a warning, one per claim',
      resource: {
        resourceType: 'Patient',
        meta: {
          profile: [
            'http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient',
            'http://clinic.test/p',
          ],
        },
      },
      expected: [
        'warning fhir-profile-claim-not-checked @ Patient.meta.profile[0]',
        'warning fhir-profile-claim-not-checked @ Patient.meta.profile[1]',
      ],
    },
  ])('$description', async ({ resource, expected }) => {
    const result = await session.validate(resource);
    expect(result.issues.map((i) => `${i.severity} ${i.rule} @ ${i.location}`)).toEqual(expected);
  });
});

describe('findings across an export', () => {
  const line = (i: number) =>
    JSON.stringify({
      resourceType: 'Patient',
      id: `p${i}`,
      meta: { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient'] },
      extension: [
        {
          url: i % 2 === 0 ? 'http://vendor.test/ext/race' : 'http://vendor.test/ext/birthsex',
          valueString: 'x',
        },
      ],
      ...(i % 10 === 0 ? { generalPractitioner: [conditional] } : {}),
    });

  it('groups unknown extensions and profiles by URL, with counts and examples spread over the file', async () => {
    const outcomes: unknown[] = [];
    const run = createFhirRun(session, { onRecord: (o) => outcomes.push(toOperationOutcome(o.issues)) });
    const text = `${Array.from({ length: 100 }, (_, i) => line(i + 1)).join('\n')}\n`;
    await run.addNdjson(
      'Patient.ndjson',
      (async function* () {
        yield text;
      })(),
    );
    const report = run.report(TIMES);
    const byRule = (rule: string) =>
      report.issues
        .filter((i) => i.rule === rule)
        .map((i) => [i.location, i.count, i.examples.map((e) => e.row)] as const)
        .sort();
    expect(byRule('fhir-unknown-extension')).toEqual([
      ['http://vendor.test/ext/birthsex', 50, [1, 33, 65, 97]],
      ['http://vendor.test/ext/race', 50, [2, 34, 66, 98]],
    ]);
    expect(byRule('fhir-profile-claim-not-checked')).toEqual([
      ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient', 100, [1, 33, 65, 97]],
    ]);
    expect(byRule('fhir-reference-conditional')).toEqual([
      ['Patient.generalPractitioner.reference', 10, [10, 20, 30, 40, 50]],
    ]);
    // the summary counts the conditional references and the profiles not checked as warnings
    expect(report.summary).toMatchObject({ records: 100, invalid: 100, warnings: 110 });
    const issue = (outcomes[0] as { issue: { details: { text: string } }[] }).issue;
    expect(issue.map((i) => i.details.text)).toContain(
      'The extension http://vendor.test/ext/birthsex is not defined by the FHIR R4 specification, so a validating target will refuse it: load its definition on the target or leave it out',
    );
  });

  it.each([
    {
      description:
        'a conditional reference: a finding of the resource, in its OperationOutcome and the report',
      resource: { resourceType: 'Patient', id: 'a', generalPractitioner: [conditional] },
      rule: 'fhir-reference-conditional',
      inOutcome: true,
    },
    {
      description: 'a Type/id not in the export: known at the end, in the report only',
      resource: {
        resourceType: 'Patient',
        id: 'a',
        generalPractitioner: [{ reference: 'Practitioner/gone' }],
      },
      rule: 'fhir-reference-not-in-export',
      inOutcome: false,
    },
  ])('$description', async ({ resource, rule, inOutcome }) => {
    const outcomes: { issue: { diagnostics?: string }[] }[] = [];
    const run = createFhirRun(session, {
      onRecord: (o) => outcomes.push(toOperationOutcome(o.issues) as (typeof outcomes)[number]),
    });
    await run.addNdjson(
      'Patient.ndjson',
      (async function* () {
        yield `${JSON.stringify(resource)}\n`;
      })(),
    );
    const report = run.report(TIMES);
    expect(report.issues.map((i) => i.rule)).toEqual([rule]);
    const outcomeRules = outcomes.flatMap((o) =>
      o.issue.map((i) => /^rule (\S+?)(;|$)/.exec(i.diagnostics ?? '')?.[1]),
    );
    expect(outcomeRules.includes(rule)).toBe(inOutcome);
  });
});
