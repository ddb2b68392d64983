/**
 * The FHIR checks chosen under "FHIR files" on the Migration workspace — the layers, how
 * unknown extensions count, whether extensions at example addresses pass, and the project's implementation guide packages and chosen profiles —
 * shared with the FHIR server panel, so that a pull is validated exactly as a file would be.
 *
 * Constraints:
 * - The layers and the extension choices are the project's (`meta.settings.fhirChecks`,
 *   src/formats/fhirChecks.ts): they survive a reload and travel with a project export. Both
 *   screens read them from the project's settings; a change is a project change (autosaved).
 * - The packages themselves are the project's too (useFhirPackages.ts); the "FHIR files" section,
 *   which reads them, publishes them here while it is on screen. It is on screen whenever the
 *   project has packages, so a project without a publication has none.
 * - Published packages are tied to their project: another project's are never applied.
 */
import { useMemo, useSyncExternalStore } from 'react';
import type { FhirPackageSpec, FhirPackageSummary } from '../../../workers/fhirPackages.ts';
import type { FhirValidateRequest } from '../../../workers/fhirValidateApi.ts';
import type { UnknownExtensionSeverity } from '../../core/fhir/index.ts';
import { FHIR_LAYERS, type FhirLayer, fhirChecksOf } from '../../core/fhir/index.ts';
import type { MissingIgDependency } from '../../core/fhirProfiles/index.ts';
import { FHIR_LAYER_TITLES } from '../../core/validation/index.ts';
import { SWITCHABLE_FHIR_LAYERS, withProjectFhirChecks } from '../../formats/fhirChecks.ts';
import type { FhirReportTarget } from '../../formats/report.ts';

/** The project's layers and extension choices (the core's, as the CLI reads them). */
export { fhirChecksOf };

/** The packages of one project, as the "FHIR files" section read them. */
export interface PublishedFhirPackages {
  projectId: string;
  /** the package files applied */
  specs: readonly FhirPackageSpec[];
  /** profiles applied to every resource of their type (only ones a loaded package defines) */
  profiles: readonly string[];
  /** false while the packages are being read or changed: a run would not use what is chosen */
  ready: boolean;
  /** the packages as read (name, version, SHA-256), for the reports of records mapped to FHIR */
  read?: readonly Pick<FhirPackageSummary, 'name' | 'version' | 'sha256'>[];
  /** dependencies the packages declare that are not loaded */
  missing?: readonly MissingIgDependency[];
}

/** What the user chose. */
export interface FhirCheckChoices {
  /** the layers to run (`json` always runs) */
  layers: readonly FhirLayer[];
  unknownExtensions: UnknownExtensionSeverity;
  /**
   * extensions at example addresses (example.org) pass unjudged, as the CLI's
   * `--allow-example-urls`: for test data only (absent: they are errors)
   */
  allowExampleUrls?: boolean;
  packages?: PublishedFhirPackages | undefined;
}

let published: PublishedFhirPackages | undefined;
const listeners = new Set<() => void>();

function publish(next: PublishedFhirPackages | undefined): void {
  published = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const getPublished = () => published;

/**
 * `settings` with these layers and extension choices (`json` always runs); `allowExampleUrls`
 * absent keeps the project's.
 */
export function settingsWithFhirChecks(
  settings: Readonly<Record<string, unknown>>,
  layers: readonly FhirLayer[],
  unknownExtensions: UnknownExtensionSeverity,
  allowExampleUrls?: boolean,
): Record<string, unknown> {
  return withProjectFhirChecks(settings, {
    off: SWITCHABLE_FHIR_LAYERS.filter((l) => !layers.includes(l)),
    unknownExtensions,
    ...(allowExampleUrls === undefined ? {} : { allowExampleUrls }),
  });
}

/** The project's choices with the packages published for it, re-rendering when either changes. */
export function useFhirCheckChoices(settings: Readonly<Record<string, unknown>>): FhirCheckChoices {
  const packages = useSyncExternalStore(subscribe, getPublished, getPublished);
  return useMemo(() => ({ ...fhirChecksOf(settings), packages }), [settings, packages]);
}

/** The packages published now (outside React). */
export function getPublishedFhirPackages(): PublishedFhirPackages | undefined {
  return published;
}

const sameList = <T>(a: readonly T[], b: readonly T[]): boolean =>
  a.length === b.length && a.every((item, i) => item === b[i]);

/**
 * Publishes a project's packages (undefined: withdraws those of `projectId`, when the section
 * leaves the screen). Nothing changes, and nobody re-renders, when they are the same.
 */
export function publishFhirPackages(projectId: string, packages: PublishedFhirPackages | undefined): void {
  const now = published;
  if (packages === undefined) {
    if (now?.projectId === projectId) publish(undefined);
    return;
  }
  if (
    now &&
    now.projectId === packages.projectId &&
    now.ready === packages.ready &&
    sameList(now.specs, packages.specs) &&
    sameList(now.profiles, packages.profiles) &&
    sameList(now.read ?? [], packages.read ?? []) &&
    sameList(now.missing ?? [], packages.missing ?? [])
  )
    return;
  publish(packages);
}

/** The packages that apply to `projectId`: its own, never another project's. */
export function packagesFor(choices: FhirCheckChoices, projectId: string): PublishedFhirPackages | undefined {
  return choices.packages?.projectId === projectId ? choices.packages : undefined;
}

/** The part of a validation request the choices make (layers, extension choices, packages). */
export function fhirCheckOptions(
  choices: FhirCheckChoices,
  projectId: string,
): Pick<FhirValidateRequest, 'layers' | 'unknownExtensions' | 'allowExampleUrls' | 'packages' | 'profiles'> {
  const packages = packagesFor(choices, projectId);
  return {
    layers: [...choices.layers],
    unknownExtensions: choices.unknownExtensions,
    ...(choices.allowExampleUrls ? { allowExampleUrls: true } : {}),
    ...(packages && packages.specs.length > 0
      ? { packages: [...packages.specs], profiles: [...packages.profiles] }
      : {}),
  };
}

/**
 * What a mapping to FHIR takes of the packages (none: `{}`), and what its report's target says of
 * them (`target.packages`, `missingPackages`, `profiles`, as a FHIR file's report).
 */
export function mappedPackages(
  choices: FhirCheckChoices,
  projectId: string,
): {
  spec: { packages?: FhirPackageSpec[]; profiles?: string[] };
  target?: Pick<FhirReportTarget, 'packages' | 'missingPackages' | 'profiles'>;
} {
  const packages = packagesFor(choices, projectId);
  if (!packages || packages.specs.length === 0) return { spec: {} };
  return {
    spec: { packages: [...packages.specs], profiles: [...packages.profiles] },
    target: {
      packages: (packages.read ?? []).map((p) => ({ name: p.name, version: p.version, sha256: p.sha256 })),
      ...(packages.missing && packages.missing.length > 0
        ? {
            missingPackages: packages.missing.map((d) => ({
              name: d.name,
              version: d.version,
              requiredBy: [...d.requiredBy],
              unchecked: d.unchecked,
            })),
          }
        : {}),
      ...(packages.profiles.length > 0 ? { profiles: [...packages.profiles] } : {}),
    },
  };
}

/** The choices in a sentence, for a run about to start ("Checks switched off: Codes. …"). */
export function describeFhirCheckChoices(choices: FhirCheckChoices, projectId: string): string {
  const off = FHIR_LAYERS.filter((l) => l !== 'json' && !choices.layers.includes(l));
  const sentences = [
    off.length === 0
      ? 'Every FHIR check runs.'
      : `Checks switched off: ${off.map((l) => FHIR_LAYER_TITLES[l]).join(', ')}.`,
  ];
  if (choices.layers.includes('extensions'))
    sentences.push(
      choices.unknownExtensions === 'warning'
        ? 'Unknown extensions count as warnings.'
        : 'Unknown extensions count as errors.',
    );
  if (choices.layers.includes('extensions') && choices.allowExampleUrls)
    sentences.push('Extensions at example addresses (example.org) are accepted: for test data only.');
  const packages = packagesFor(choices, projectId);
  const guides = packages?.specs.filter((s) => !s.terminology).length ?? 0;
  const codes = (packages?.specs.length ?? 0) - guides;
  if (packages && guides > 0) {
    const n = guides;
    sentences.push(
      `Resources are also checked against the profiles of ${n === 1 ? '1 implementation guide package' : `${n} implementation guide packages`}${packages.profiles.length > 0 ? ` (${packages.profiles.length === 1 ? '1 profile' : `${packages.profiles.length} profiles`} applied to every resource of its type)` : ''}.`,
    );
  }
  if (codes > 0)
    sentences.push(
      `Codes are also checked against the code systems and value sets of ${codes === 1 ? '1 terminology package' : `${codes} terminology packages`}.`,
    );
  return sentences.join(' ');
}
