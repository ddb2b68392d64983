/**
 * The FHIR checks the user chose under "FHIR files" on the Migration workspace — the layers, how
 * unknown extensions count, and the project's implementation guide packages and chosen profiles —
 * shared with the FHIR server panel, so that a pull is validated exactly as a file would be.
 *
 * Constraints:
 * - Memory only, for the page (as the choices always were): they survive a visit to another
 *   workspace, not a reload. The packages themselves are the project's (useFhirPackages.ts); the
 *   "FHIR files" section, which reads them, publishes them here while it is on screen. It is on
 *   screen whenever the project has packages, so a project without a publication has none.
 * - Published packages are tied to their project: another project's are never applied.
 */
import { useSyncExternalStore } from 'react';
import type { FhirPackageSpec } from '../../../workers/fhirPackages.ts';
import type { FhirValidateRequest } from '../../../workers/fhirValidateApi.ts';
import { FHIR_LAYERS, type FhirLayer } from '../../core/migration/fhir/rules.ts';
import type { UnknownExtensionSeverity } from '../../core/migration/fhir/validator.ts';
import { FHIR_LAYER_TITLES } from '../../core/validation/index.ts';

/** The packages of one project, as the "FHIR files" section read them. */
export interface PublishedFhirPackages {
  projectId: string;
  /** the package files applied */
  specs: readonly FhirPackageSpec[];
  /** profiles applied to every resource of their type (only ones a loaded package defines) */
  profiles: readonly string[];
  /** false while the packages are being read or changed: a run would not use what is chosen */
  ready: boolean;
}

/** What the user chose. */
export interface FhirCheckChoices {
  /** the layers to run (`json` always runs) */
  layers: readonly FhirLayer[];
  unknownExtensions: UnknownExtensionSeverity;
  packages?: PublishedFhirPackages | undefined;
}

// every check, unknown extensions as errors (the CLI's defaults), no packages
let current: FhirCheckChoices = { layers: FHIR_LAYERS, unknownExtensions: 'error' };
const listeners = new Set<() => void>();

function set(next: FhirCheckChoices): void {
  current = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The choices now (outside React). */
export function getFhirCheckChoices(): FhirCheckChoices {
  return current;
}

/** The choices, re-rendering when they change. */
export function useFhirCheckChoices(): FhirCheckChoices {
  return useSyncExternalStore(subscribe, getFhirCheckChoices, getFhirCheckChoices);
}

/** Sets the layers to run. */
export function chooseFhirLayers(layers: readonly FhirLayer[]): void {
  set({ ...current, layers: FHIR_LAYERS.filter((l) => layers.includes(l)) });
}

/** Sets how unknown extensions count. */
export function chooseUnknownExtensions(value: UnknownExtensionSeverity): void {
  if (value !== current.unknownExtensions) set({ ...current, unknownExtensions: value });
}

const sameList = <T>(a: readonly T[], b: readonly T[]): boolean =>
  a.length === b.length && a.every((item, i) => item === b[i]);

/**
 * Publishes a project's packages (undefined: withdraws those of `projectId`, when the section
 * leaves the screen). Nothing changes, and nobody re-renders, when they are the same.
 */
export function publishFhirPackages(projectId: string, packages: PublishedFhirPackages | undefined): void {
  const now = current.packages;
  if (packages === undefined) {
    if (now?.projectId === projectId) set({ ...current, packages: undefined });
    return;
  }
  if (
    now &&
    now.projectId === packages.projectId &&
    now.ready === packages.ready &&
    sameList(now.specs, packages.specs) &&
    sameList(now.profiles, packages.profiles)
  )
    return;
  set({ ...current, packages });
}

/** The packages that apply to `projectId`: its own, never another project's. */
export function packagesFor(choices: FhirCheckChoices, projectId: string): PublishedFhirPackages | undefined {
  return choices.packages?.projectId === projectId ? choices.packages : undefined;
}

/** The part of a validation request the choices make (layers, unknown extensions, packages). */
export function fhirCheckOptions(
  choices: FhirCheckChoices,
  projectId: string,
): Pick<FhirValidateRequest, 'layers' | 'unknownExtensions' | 'packages' | 'profiles'> {
  const packages = packagesFor(choices, projectId);
  return {
    layers: [...choices.layers],
    unknownExtensions: choices.unknownExtensions,
    ...(packages && packages.specs.length > 0
      ? { packages: [...packages.specs], profiles: [...packages.profiles] }
      : {}),
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
  const packages = packagesFor(choices, projectId);
  if (packages && packages.specs.length > 0) {
    const n = packages.specs.length;
    sentences.push(
      `Resources are also checked against the profiles of ${n === 1 ? '1 implementation guide package' : `${n} implementation guide packages`}${packages.profiles.length > 0 ? ` (${packages.profiles.length === 1 ? '1 profile' : `${packages.profiles.length} profiles`} applied to every resource of its type)` : ''}.`,
    );
  }
  return sentences.join(' ');
}
