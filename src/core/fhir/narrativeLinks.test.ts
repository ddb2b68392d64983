/**
 * Narrative links (`<a href="#name">`) resolve to something the resource defines, as the HL7 Java
 * validator checks them: a table of what answers a link and what does not, a property (a link to
 * any anchor that is there is never reported; one to a name nowhere always is), and the Bundle
 * read once, as a whole, through the validator.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generatedModules } from './generatedModules.ts';
import { unresolvedNarrativeLinks } from './narrativeLinks.ts';
import { createFhirSession } from './validator.ts';

const XHTML = 'xmlns="http://www.w3.org/1999/xhtml"';
const div = (inner: string) => ({ status: 'generated', div: `<div ${XHTML}>${inner}</div>` });

const CASES: { description: string; resource: Record<string, unknown>; expected: string[] }[] = [
  {
    description: 'an <a name> anchor in the same narrative',
    resource: { resourceType: 'List', text: div('<a name="x"> </a><a href="#x">x</a>') },
    expected: [],
  },
  {
    description: "an id attribute in a contained resource's narrative",
    resource: {
      resourceType: 'List',
      text: div('<a href="#row">row</a>'),
      contained: [{ resourceType: 'Basic', id: 'b', text: div('<p id="row">r</p>') }],
    },
    expected: [],
  },
  {
    description: "a generated name whose anchor the contained resource's narrative lacks",
    resource: {
      resourceType: 'List',
      text: div('<a name="hcL"> </a><a href="#hcL/app">Appointment</a>'),
      contained: [{ resourceType: 'Appointment', id: 'app' }],
    },
    expected: ['List.text.div #hcL/app'],
  },
  {
    description: 'a link in a contained narrative to a name nowhere',
    resource: {
      resourceType: 'List',
      contained: [{ resourceType: 'Basic', id: 'b', text: div("<a href='#gone'>g</a>") }],
    },
    expected: ['List.contained[0].text.div #gone'],
  },
  {
    description: 'links that are not fragments, or the document itself',
    resource: {
      resourceType: 'List',
      text: div('<a href="https://example.org/#x">x</a><a href="#">top</a>'),
    },
    expected: [],
  },
  {
    description: "a Bundle entry's link to another entry's element id, and to an entry as Type_id",
    resource: {
      resourceType: 'Bundle',
      entry: [
        { resource: { resourceType: 'Basic', text: div('<a href="#n2">n</a> <a href="#Patient_p">p</a>') } },
        { resource: { resourceType: 'Patient', id: 'p', name: [{ id: 'n2' }] } },
      ],
    },
    expected: [],
  },
];

describe('narrative links', () => {
  it.each(CASES)('$description', ({ resource, expected }) => {
    const found = unresolvedNarrativeLinks(resource, String(resource.resourceType));
    expect(found.map((l) => `${l.location} #${l.fragment}`)).toEqual(expected);
  });

  it('never reports a link to an anchor that is there, always one to a name that is nowhere', () => {
    const name = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.\-/]{0,12}$/);
    fc.assert(
      fc.property(fc.uniqueArray(name, { minLength: 2, maxLength: 6 }), fc.nat(), (names, pick) => {
        const [missing, ...present] = names as [string, ...string[]];
        const anchors = present.map((n, i) => (i % 2 === 0 ? `<a name="${n}"> </a>` : `<p id="${n}">p</p>`));
        const target = present[pick % present.length] as string;
        const resource = {
          resourceType: 'Basic',
          text: div(`${anchors.join('')}<a href="#${target}">ok</a><a class="c" href="#${missing}">no</a>`),
        };
        expect(unresolvedNarrativeLinks(resource, 'Basic')).toEqual([
          { location: 'Basic.text.div', fragment: missing },
        ]);
      }),
    );
  });

  it('is read once for a Bundle, as a whole, by the validator', async () => {
    const session = await createFhirSession(generatedModules);
    const { issues } = await session.validate({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        {
          fullUrl: 'urn:uuid:0b1b1d54-5c8f-4d3c-9d7e-2c1f0a8e6b11',
          resource: { resourceType: 'Basic', code: { text: 'x' }, text: div('<a href="#nowhere">n</a>') },
        },
      ],
    });
    expect(issues.filter((i) => i.rule === 'fhir-narrative-link').map((i) => i.location)).toEqual([
      'Bundle.entry[0].resource.text.div',
    ]);
  });
});
