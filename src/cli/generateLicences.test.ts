/**
 * docs/licences.md lists exactly the production dependencies of package-lock.json with their
 * licences (`npm run licences` rewrites it), and the list is made by the rules its header states.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  currentLicencesDoc,
  LICENCES_DOC,
  licencesSection,
  productionPackages,
  withSection,
} from './generateLicences.ts';

describe('docs/licences.md', () => {
  it('is current: run "npm run licences" after changing dependencies', () => {
    expect(readFileSync(LICENCES_DOC, 'utf8')).toBe(currentLicencesDoc());
  });

  it('explains the licences that ask something of users, and the README links it', () => {
    const doc = readFileSync(LICENCES_DOC, 'utf8');
    for (const name of ['elkjs', 'EPL-2.0', 'fhirpath', 'ucum-lhc', 'National Library of Medicine'])
      expect(doc).toContain(name);
    expect(readFileSync(new URL('../../README.md', import.meta.url), 'utf8')).toContain('docs/licences.md');
  });
});

describe('productionPackages', () => {
  const lock = {
    packages: {
      '': { version: '0.1.0', license: 'Apache-2.0' },
      'node_modules/a': { version: '1.0.0', license: 'MIT' },
      'node_modules/a/node_modules/b': { version: '2.0.0', license: 'ISC', optional: true },
      'node_modules/tool': { version: '3.0.0', license: 'MIT', dev: true },
      'node_modules/maybe': { version: '4.0.0', license: 'MIT', devOptional: true },
      'node_modules/odd': { version: '5.0.0', license: 'SEE LICENSE IN LICENSE.md' },
      'node_modules/@scope/none': { version: '6.0.0' },
      'node_modules/fhirpath': { version: '5.2.0', license: 'SEE LICENSE in LICENSE.md' },
    },
  };

  it('keeps what npm ci --omit=dev installs, marks optional builds, and says when a licence is not declared', () => {
    expect(productionPackages(lock)).toEqual([
      {
        name: '@scope/none',
        version: '6.0.0',
        licence: 'not declared (no licence field): read the package',
        optional: false,
      },
      { name: 'a', version: '1.0.0', licence: 'MIT', optional: false },
      { name: 'b', version: '2.0.0', licence: 'ISC', optional: true },
      {
        name: 'fhirpath',
        version: '5.2.0',
        licence: 'NLM terms, BSD-style (LICENSE.md; see above)',
        optional: false,
      },
      {
        name: 'odd',
        version: '5.0.0',
        licence: 'not declared (SEE LICENSE IN LICENSE.md): read the package',
        optional: false,
      },
    ]);
  });

  it('writes only between the markers', () => {
    const section = licencesSection(productionPackages(lock));
    const doc = `intro\n${section.split('\n')[0]}\nold\n<!-- licences:end -->\nafter\n`;
    const out = withSection(doc, section);
    expect(out.startsWith('intro\n')).toBe(true);
    expect(out.endsWith('\nafter\n')).toBe(true);
    expect(out).toContain('| b (optional) | 2.0.0 | ISC |');
    expect(out).not.toContain('\nold\n');
    expect(() => withSection('no markers', section)).toThrow(/markers/);
  });
});
