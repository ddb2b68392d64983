/**
 * Snapshots generated without `hl7.fhir.r4.core`: the IPS 2.0.0 package with every snapshot taken
 * out (a package that ships differentials only, as a hand-written or vendor package may) gets its
 * snapshots generated against the R4 base built into Preflight (src/core/fhir/generated/r4base.js,
 * made by src/cli/generateFhir.ts), and they are the snapshots the package ships; its examples
 * then validate exactly as with the package's own snapshots. Without the built-in base (the
 * registry as it was before), those profiles cannot be applied at all.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  extensionsPackage,
  type IpsExample,
  ipsExamples,
  ipsPackage,
} from '../../../tests/fixtures/ipsPackage.ts';
import { createFhirSession, type FhirIssue, type FhirSession, generatedModules } from '../fhir/index.ts';
import { validatorProfiles } from './check.ts';
import type { IgPackage } from './igPackage.ts';
import {
  createProfileRegistry,
  loadProfileRegistry,
  needsBuiltInBase,
  type ProfileRegistry,
  R4_CORE_PACKAGE,
} from './registry.ts';
import { generateSnapshot } from './snapshot.ts';
import type { ElementDefinition, StructureDefinition } from './types.ts';

let ips: IgPackage;
let stripped: IgPackage;
let examples: IpsExample[];

const withoutSnapshot = (sd: StructureDefinition): StructureDefinition => {
  const { snapshot: _snapshot, ...rest } = sd;
  return rest as StructureDefinition;
};

beforeAll(async () => {
  ips = await ipsPackage();
  stripped = { ...ips, structureDefinitions: ips.structureDefinitions.map(withoutSnapshot) };
  examples = await ipsExamples();
});

const bare = (url: string): string => url.split('|')[0] as string;
const BASE_SD = 'http://hl7.org/fhir/StructureDefinition/';
/** a constraint of the base specification (the base R4 layers run those), not of the profile */
const baseConstraint = (source: string | undefined) =>
  source !== undefined &&
  bare(source).startsWith(BASE_SD) &&
  !bare(source).slice(BASE_SD.length).includes('-');

/** What the comparison covers, per element: all the profile checker reads. */
function signature(e: ElementDefinition): string {
  const values = Object.keys(e)
    .filter((k) => k.startsWith('fixed') || k.startsWith('pattern'))
    .sort()
    .map((k) => `${k}=${JSON.stringify(e[k])}`);
  const types = (e.type ?? []).map(
    (t) =>
      `${t.code}${t.profile ? `(${t.profile.map(bare).join(',')})` : ''}${t.targetProfile ? `->${t.targetProfile.map(bare).join(',')}` : ''}`,
  );
  const own = (e.constraint ?? [])
    .filter((c) => !baseConstraint(c.source))
    .map((c) => `${c.key}:${c.expression}`)
    .sort();
  const binding = e.binding ? `${e.binding.strength} ${bare(e.binding.valueSet ?? '')}` : '';
  return [
    e.id,
    `${e.min}..${e.max}`,
    `base ${e.base?.min}..${e.base?.max}`,
    types.join('|'),
    values.join(' '),
    e.slicing ? JSON.stringify(e.slicing.discriminator ?? []) + (e.slicing.rules ?? '') : '',
    binding,
    e.mustSupport ? 'MS' : '',
    own.join(','),
  ].join(' ');
}

describe('which package sets need the built-in R4 base', () => {
  const core = (pkg: IgPackage): IgPackage => ({
    ...pkg,
    name: R4_CORE_PACKAGE,
    version: '4.0.1',
    structureDefinitions: [],
  });
  it.each([
    { description: 'a package that ships its snapshots', packages: () => [ips], needs: false },
    { description: 'a package with differentials only', packages: () => [stripped], needs: true },
    {
      description: 'differentials only, with hl7.fhir.r4.core loaded',
      packages: () => [stripped, core(ips)],
      needs: false,
    },
  ])('$description: $needs', async ({ packages, needs }) => {
    expect(needsBuiltInBase(packages())).toBe(needs);
    let loads = 0;
    const registry = await loadProfileRegistry(packages(), async () => {
      loads++;
      return [];
    });
    expect(loads).toBe(needs ? 1 : 0);
    expect(registry.builtInBase).toBe(false);
  });
});

describe('snapshots of a package with differentials only, no hl7.fhir.r4.core loaded', () => {
  let registry: ProfileRegistry;
  beforeAll(async () => {
    registry = await loadProfileRegistry([stripped, extensionsPackage()]);
  });

  it('loads the built-in base for it, and resolves nothing else against it', () => {
    expect(registry.builtInBase).toBe(true);
    expect(registry.snapshotBase(`${BASE_SD}Patient`)?.snapshot?.element.length).toBeGreaterThan(0);
    // a profile claim or an extension is never the base's: the base layers check those
    expect(registry.structureDefinition(`${BASE_SD}Patient`)).toBeUndefined();
  });

  it('generates each of the 29 IPS profiles as the package ships it', () => {
    const profiles = stripped.structureDefinitions.filter((sd) => sd.derivation === 'constraint');
    expect(profiles).toHaveLength(29);
    for (const sd of profiles) {
      const own = ips.structureDefinitions.find((p) => p.url === sd.url);
      const generated = generateSnapshot(sd, registry.snapshotBase);
      expect(generated.snapshot?.element.map(signature), sd.id).toEqual(
        own?.snapshot?.element.map(signature),
      );
    }
  });

  it('cannot generate them without the built-in base (no hl7.fhir.r4.core)', () => {
    const without = createProfileRegistry([stripped, extensionsPackage()]);
    const patient = stripped.structureDefinitions.find(
      (sd) => sd.id === 'Patient-uv-ips',
    ) as StructureDefinition;
    expect(() => generateSnapshot(patient, without.snapshotBase)).toThrow(
      /the base http:\/\/hl7\.org\/fhir\/StructureDefinition\/Patient of \S+ is not loaded/,
    );
  });
});

describe('the IPS examples against a package with differentials only', () => {
  const key = (i: FhirIssue) => `${i.severity}|${i.rule}|${i.location}|${i.message}`;
  const issuesOf = async (session: FhirSession) => {
    const out: string[] = [];
    for (const e of examples)
      for (const i of (await session.validate(e.resource)).issues) out.push(`${e.name}: ${key(i)}`);
    return out;
  };

  it('gives every issue the package with its own snapshots gives, and no other', async () => {
    const own = await createFhirSession(generatedModules, {
      // loaded as the other is, so both apply R4's vital-signs profiles by code
      profiles: validatorProfiles(await loadProfileRegistry([ips, extensionsPackage()])),
    });
    const generated = await createFhirSession(generatedModules, {
      profiles: validatorProfiles(await loadProfileRegistry([stripped, extensionsPackage()])),
    });
    const expected = await issuesOf(own);
    // the examples hold no error or warning against their profiles (ips.test.ts): information only
    expect(expected.filter((i) => !i.includes(': information|'))).toEqual([]);
    expect(expected.length).toBeGreaterThan(0);
    expect(await issuesOf(generated)).toEqual(expected);
  });

  it('without the built-in base, says on the examples that their profiles cannot be applied', async () => {
    const without = await createFhirSession(generatedModules, {
      profiles: validatorProfiles(createProfileRegistry([stripped, extensionsPackage()])),
    });
    const found = await issuesOf(without);
    expect(found.some((i) => i.includes('fhir-profile-not-checked') && i.includes('cannot be applied'))).toBe(
      true,
    );
  });
});
