/**
 * dom-3 (a contained resource is referred to from its container, or refers to it), through the
 * validation session as a run meets it: each case a resource with contained resources, and the
 * contained resources reported as orphans.
 */
import { describe, expect, it } from 'vitest';
import { generatedModules } from './generatedModules.ts';
import { createFhirSession } from './validator.ts';

const session = await createFhirSession(generatedModules);

const practitioner = (id: string, extra: object = {}) => ({
  resourceType: 'Practitioner',
  id,
  name: [{ family: 'Ng' }],
  ...extra,
});

const observation = (extra: object) => ({
  resourceType: 'Observation',
  status: 'final',
  code: { text: 'weight' },
  ...extra,
});

describe('dom-3: contained resources are referred to', () => {
  it.each([
    {
      description: 'a contained resource nothing refers to (i-dom3-orphan-contained)',
      resource: observation({ contained: [practitioner('p1')] }),
      orphans: ['Observation.contained[0]'],
    },
    {
      description: 'a contained resource a reference names',
      resource: observation({ contained: [practitioner('p1')], performer: [{ reference: '#p1' }] }),
      orphans: [],
    },
    {
      description: 'one of two referred to',
      resource: observation({
        contained: [practitioner('p1'), practitioner('p2')],
        performer: [{ reference: '#p2' }],
      }),
      orphans: ['Observation.contained[0]'],
    },
    {
      description: 'a contained resource another contained one refers to',
      resource: observation({
        contained: [
          practitioner('p1'),
          { resourceType: 'PractitionerRole', id: 'r1', practitioner: { reference: '#p1' } },
        ],
        performer: [{ reference: '#r1' }],
      }),
      orphans: [],
    },
    {
      description: 'a contained resource that refers to its container (#)',
      resource: observation({
        id: 'o1',
        contained: [
          {
            resourceType: 'Provenance',
            id: 'prov',
            target: [{ reference: '#' }],
            recorded: '2026-01-01T00:00:00Z',
            agent: [{ who: { display: 'a' } }],
          },
        ],
      }),
      orphans: [],
    },
    {
      description: 'a contained value set a canonical names',
      resource: {
        resourceType: 'Questionnaire',
        status: 'draft',
        contained: [{ resourceType: 'ValueSet', id: 'vs', status: 'draft' }],
        item: [{ linkId: '1', type: 'choice', answerValueSet: '#vs' }],
      },
      orphans: [],
    },
    {
      description: 'a contained resource the narrative links to',
      resource: observation({
        text: {
          status: 'generated',
          div: '<div xmlns="http://www.w3.org/1999/xhtml"><a href="#p1">Dr Ng</a></div>',
        },
        contained: [practitioner('p1')],
      }),
      orphans: [],
    },
    {
      description: 'a contained resource in a Bundle entry, per entry',
      resource: {
        resourceType: 'Bundle',
        type: 'collection',
        entry: [
          {
            fullUrl: 'urn:uuid:6a1f1d0e-0000-4000-8000-000000000001',
            resource: observation({ contained: [practitioner('p1')] }),
          },
          {
            fullUrl: 'urn:uuid:6a1f1d0e-0000-4000-8000-000000000002',
            resource: observation({ contained: [practitioner('p1')], performer: [{ reference: '#p1' }] }),
          },
        ],
      },
      orphans: ['Bundle.entry[0].resource.contained[0]'],
    },
  ])('$description', async ({ resource, orphans }) => {
    const { issues } = await session.validate(resource);
    const dom3 = issues.filter((i) => i.message.startsWith('dom-3'));
    expect(dom3.map((i) => i.location)).toEqual(orphans);
    for (const issue of dom3) expect(issue).toMatchObject({ rule: 'fhir-invariant', severity: 'error' });
    // nothing else is wrong with these resources
    expect(issues.filter((i) => i.severity === 'error' && !i.message.startsWith('dom-3'))).toEqual([]);
  });

  it('is not checked with the invariants layer off', async () => {
    const off = await createFhirSession(generatedModules, { layers: ['json', 'structure'] });
    const { issues } = await off.validate(observation({ contained: [practitioner('p1')] }));
    expect(issues).toEqual([]);
  });
});
