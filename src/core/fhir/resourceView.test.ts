import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { existingSteps, formatJsonLines, locationSteps, viewAtLocation } from './resourceView.ts';

const patient = {
  resourceType: 'Patient',
  id: 'p1',
  name: [{ family: 'Doe', given: ['Jane'] }, { family: '' }],
  _gender: { extension: [{ url: 'http://example.org/x', valueString: 'y' }] },
  birthDate: '1984-02-30',
};

describe('locationSteps', () => {
  it.each([
    { location: 'Patient', steps: [] },
    { location: 'Patient.name[1].family', steps: ['name', 1, 'family'] },
    { location: 'Bundle.entry[57].resource.status', steps: ['entry', 57, 'resource', 'status'] },
    { location: 'MedicationRequest.medication[x]', steps: ['medication[x]'] },
    { location: 'resource.resourceType', steps: ['resourceType'] },
  ])('$location', ({ location, steps }) => {
    expect(locationSteps(location)).toEqual(steps);
  });
});

describe('viewAtLocation', () => {
  it.each([
    {
      description: 'an element that exists',
      location: 'Patient.name[1].family',
      shown: 'Patient.name[1].family',
      highlighted: ['      "family": ""'],
    },
    {
      description: 'a primitive present only as its extension twin',
      location: 'Patient.gender',
      shown: 'Patient._gender',
      first: '  "_gender": {',
    },
    {
      description: 'a missing required element: its parent',
      location: 'Patient.name[0].text',
      shown: 'Patient.name[0]',
      first: '    {',
    },
    {
      description: 'a choice group that is absent: the resource',
      location: 'Patient.deceased[x]',
      shown: 'Patient',
      first: '{',
    },
  ])('highlights $description', ({ location, shown, highlighted, first }) => {
    const view = viewAtLocation(patient, location);
    expect(view.lines.join('\n')).toBe(JSON.stringify(patient, null, 2));
    expect(view.shownLocation).toBe(shown);
    const marked = view.lines.slice(view.highlight.from, view.highlight.to + 1);
    if (highlighted) expect(marked).toEqual(highlighted);
    if (first) expect(marked[0]).toBe(first);
  });

  it('shows the entry of a large Bundle, not the whole Bundle', () => {
    const entry = (i: number) => ({ resource: { resourceType: 'Patient', id: `p${i}`, gender: 'female' } });
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: Array.from({ length: 500 }, (_, i) => entry(i)),
    };
    const view = viewAtLocation(bundle, 'Bundle.entry[321].resource.gender', 100);
    expect(view.excerptOf).toBe('Bundle.entry[321].resource');
    expect(view.lines.join('\n')).toBe(JSON.stringify(bundle.entry[321]?.resource, null, 2));
    expect(view.lines[view.highlight.from]).toBe('  "gender": "female"');
  });

  it('shows a window around the element of a long resource without nested resources', () => {
    const long = {
      resourceType: 'Patient',
      identifier: Array.from({ length: 300 }, (_, i) => ({ value: `v${i}` })),
    };
    const view = viewAtLocation(long, 'Patient.identifier[250].value', 100);
    expect(view.lines).toHaveLength(100);
    expect(view.lines[view.highlight.from]).toBe('      "value": "v250"');
    expect(view.firstLine).toBeGreaterThan(1);
  });
});

describe('formatJsonLines', () => {
  it('formats as JSON.stringify(value, null, 2), for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(formatJsonLines(value, []).lines.join('\n')).toBe(JSON.stringify(value, null, 2));
      }),
    );
  });

  it('never steps into inherited keys such as toString (pinned from seed -1925258553)', () => {
    for (const key of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      expect(existingSteps({}, [key])).toEqual([]);
      expect(existingSteps({ name: [{ family: 'x' }] }, ['name', 0, key])).toEqual(['name', 0]);
      const { from, to } = formatJsonLines({}, existingSteps({}, [key]));
      expect([from, to]).toEqual([0, 0]);
    }
  });

  it('marks the lines of exactly the node at the steps, for any path into any object', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.array(fc.oneof(fc.string(), fc.nat(5))),
        (value, path) => {
          const steps = existingSteps(value, path);
          let node: unknown = value;
          for (const s of steps) node = (node as Record<string | number, unknown>)[s];
          const { lines, from, to } = formatJsonLines(value, steps);
          const text = lines
            .slice(from, to + 1)
            .join('\n')
            .trim()
            .replace(/,$/, '');
          const expected = JSON.stringify(node, null, 2);
          // the first line carries the key ("name": …); the rest is the node's own text
          expect(text.endsWith(expected.split('\n').at(-1) as string)).toBe(true);
          expect(to - from + 1).toBe(expected.split('\n').length);
        },
      ),
    );
  });
});
