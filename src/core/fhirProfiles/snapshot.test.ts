/**
 * Snapshot generation against the IPS 2.0.0 package: from each profile's differential and the R4
 * base, the generator makes the snapshot the package ships (element ids in order, cardinalities,
 * types with their profiles, fixed and pattern values); applying a differential again to the
 * snapshot it made changes nothing (property, seeded).
 * The R4 base is tests/fixtures/ipsPackage.ts's `r4BaseDefinitions` (see there).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { extensionsPackage, ipsPackage, r4BaseDefinitions } from '../../../tests/fixtures/ipsPackage.ts';
import type { IgPackage } from './igPackage.ts';
import { applyDifferential, generateSnapshot, SnapshotError } from './snapshot.ts';
import type { ElementDefinition, StructureDefinition } from './types.ts';

let ips: IgPackage;
let resolve: (url: string) => StructureDefinition | undefined;

beforeAll(async () => {
  ips = await ipsPackage();
  const all = r4BaseDefinitions();
  for (const sd of [...ips.structureDefinitions, ...extensionsPackage().structureDefinitions])
    all.set(sd.url, sd);
  resolve = (url) => all.get(url.split('|')[0] as string);
});

const bare = (url: string) => url.split('|')[0];

/** What the comparison covers, per element. */
function signature(e: ElementDefinition): string {
  const values = Object.keys(e)
    .filter((k) => k.startsWith('fixed') || k.startsWith('pattern'))
    .sort()
    .map((k) => `${k}=${JSON.stringify(e[k])}`);
  const types = (e.type ?? []).map(
    (t) =>
      `${t.code}${t.profile ? `(${t.profile.map(bare).join(',')})` : ''}${t.targetProfile ? `->${t.targetProfile.map(bare).join(',')}` : ''}`,
  );
  return `${e.id} ${e.min}..${e.max} ${types.join('|')} ${values.join(' ')}`;
}

const withoutSnapshot = (sd: StructureDefinition): StructureDefinition => {
  const { snapshot: _snapshot, ...rest } = sd;
  return rest as StructureDefinition;
};

describe('snapshot generation', () => {
  it('reproduces the snapshot of each of the 29 IPS profiles from its differential', () => {
    const profiles = ips.structureDefinitions.filter((sd) => sd.derivation === 'constraint');
    expect(profiles).toHaveLength(29);
    for (const sd of profiles) {
      const generated = generateSnapshot(withoutSnapshot(sd), resolve);
      expect(generated.snapshot?.element.map(signature), sd.id).toEqual(sd.snapshot?.element.map(signature));
    }
  });

  it('is idempotent: the differential applied again to its own result changes nothing', () => {
    const profiles = ips.structureDefinitions.filter((sd) => sd.derivation === 'constraint');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: profiles.length - 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (which, share) => {
          const sd = profiles[which] as StructureDefinition;
          const differential = sd.differential?.element ?? [];
          // a prefix keeps every slice before the elements below it, as differentials are ordered
          const prefix = differential.slice(0, Math.max(1, Math.round(share * differential.length)));
          const once = generateSnapshot(
            { ...withoutSnapshot(sd), differential: { element: prefix } },
            resolve,
          );
          const elements = once.snapshot?.element ?? [];
          const twice = applyDifferential(JSON.parse(JSON.stringify(elements)), prefix, resolve);
          expect(twice).toEqual(elements);
        },
      ),
      { seed: 20261124, numRuns: 60 },
    );
  });

  const failures: { name: string; sd: Partial<StructureDefinition>; message: RegExp }[] = [
    {
      name: 'a base that is not loaded',
      sd: { baseDefinition: 'http://example.org/StructureDefinition/nowhere' },
      message: /the base http:\/\/example\.org\/StructureDefinition\/nowhere .* is not loaded/,
    },
    {
      name: 'an element the base does not have',
      sd: {
        baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Patient',
        differential: {
          element: [
            { id: 'Patient', path: 'Patient' },
            { id: 'Patient.nickname', path: 'Patient.nickname' },
          ],
        },
      },
      message: /Patient\.nickname matches nothing in the base/,
    },
  ];
  for (const f of failures) {
    it(`says why it cannot: ${f.name}`, () => {
      const sd = {
        resourceType: 'StructureDefinition',
        url: 'http://example.org/StructureDefinition/x',
        type: 'Patient',
        kind: 'resource',
        derivation: 'constraint',
        differential: { element: [{ id: 'Patient', path: 'Patient' }] },
        ...f.sd,
      } as StructureDefinition;
      expect(() => generateSnapshot(sd, resolve)).toThrow(SnapshotError);
      expect(() => generateSnapshot(sd, resolve)).toThrow(f.message);
    });
  }
});
