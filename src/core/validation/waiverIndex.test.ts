/**
 * The waiver index answers as a scan of the list with `waiverNames` would: the same waivers, in
 * list order, for columns and for extension URLs named anywhere in a location or message —
 * URLs that are the start of a longer one, that hold characters ending a URL, or that are named
 * twice included.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Waiver } from '../../formats/waivers.ts';
import { indexWaivers, type NamedProblem, waiverNames } from './waiverIndex.ts';

const RULES = ['contract.pattern', 'fhir-unknown-extension'];
const COLUMNS = ['', 'mrn', 'dob', 'Patient.gender'];
const URLS = [
  'http://x.org/e',
  'http://x.org/e2',
  'http://x.org/e/2',
  'e',
  'http://x.org/a,b',
  'http://x.org/(p)',
  '',
];
const GLUE = ['', ' ', '"', '(', ')', ',', ';', '/', 'x', '<', '\n'];

const waiverArb = fc
  .record({
    rule: fc.constantFrom(...RULES),
    where: fc.oneof(
      fc.constantFrom(...COLUMNS).map((column) => ({ column })),
      fc.constantFrom(...URLS).map((extension) => ({ extension })),
    ),
  })
  .map(
    ({ rule, where }): Waiver => ({
      id: 'w',
      rule,
      ...where,
      rationale: 'r',
      owner: 'o',
      expires: '2099-12-31',
    }),
  );

const textArb = fc
  .array(fc.oneof(fc.constantFrom(...URLS), fc.constantFrom(...COLUMNS), fc.constantFrom(...GLUE)), {
    maxLength: 8,
  })
  .map((parts) => parts.join(''));

const problemArb: fc.Arbitrary<NamedProblem> = fc.record({
  rule: fc.constantFrom(...RULES),
  location: fc.oneof(fc.constantFrom(...COLUMNS), textArb),
  message: textArb,
});

describe('the waiver index', () => {
  it('finds the waivers a scan of the list finds, in list order', () => {
    fc.assert(
      fc.property(
        fc.array(waiverArb, { maxLength: 30 }),
        fc.array(problemArb, { maxLength: 10 }),
        (list, problems) => {
          const waivers = list.map((w, i) => ({ ...w, id: `w${i}` }));
          const index = indexWaivers(waivers, (w) => w);
          for (const problem of problems)
            expect(index.naming(problem).map((w) => w.id)).toEqual(
              waivers.filter((w) => waiverNames(w, problem)).map((w) => w.id),
            );
        },
      ),
      { seed: 20261126, numRuns: 100 },
    );
  });

  it('names a URL only as a whole, not as the start of a longer one', () => {
    const waivers: Waiver[] = ['http://x.org/e', 'http://x.org/e2'].map((extension, i) => ({
      id: `w${i}`,
      rule: 'fhir-unknown-extension',
      extension,
      rationale: 'r',
      owner: 'o',
      expires: '2099-12-31',
    }));
    const index = indexWaivers(waivers, (w) => w);
    const named = (message: string) =>
      index.naming({ rule: 'fhir-unknown-extension', location: 'Patient', message }).map((w) => w.id);
    expect(named('unknown extension "http://x.org/e2"')).toEqual(['w1']);
    expect(named('unknown extension http://x.org/e')).toEqual(['w0']);
    expect(named('http://x.org/e3 and (http://x.org/e)')).toEqual(['w0']);
    expect(named('http://x.org/e/sub')).toEqual([]);
  });
});
