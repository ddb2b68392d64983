/**
 * The implementation guide packages a project uses, as the project records them
 * (`meta.settings.fhirPackages`): by file name, package name, version and SHA-256 — never the
 * package's bytes, which the browser keeps beside the project (src/storage/igPackageStore.ts) —
 * and the profiles chosen to apply to every resource of their type (`meta.settings.fhirProfiles`;
 * none: each resource's own meta.profile).
 *
 * Reading is lenient: `meta.settings` is open, so an entry that is not well formed is left out of
 * the list rather than refusing the project.
 */

/** The settings key of the package references. */
export const PROJECT_FHIR_PACKAGES_KEY = 'fhirPackages';
/** The settings key of the chosen profiles (canonical URLs). */
export const PROJECT_FHIR_PROFILES_KEY = 'fhirProfiles';

/** One package a project uses, by reference. */
export interface ProjectFhirPackage {
  /** the `.tgz` file's name as the user added it */
  fileName: string;
  name: string;
  version: string;
  /** lowercase hex SHA-256 of the `.tgz` */
  sha256: string;
  /** size of the `.tgz` in bytes */
  bytes: number;
  /** added for its code systems and value sets only (a clinic's own codes): its profiles not applied */
  terminology?: true;
}

const SHA256 = /^[0-9a-f]{64}$/;

function isRef(value: unknown): value is ProjectFhirPackage {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.fileName === 'string' &&
    typeof v.name === 'string' &&
    typeof v.version === 'string' &&
    typeof v.sha256 === 'string' &&
    SHA256.test(v.sha256) &&
    typeof v.bytes === 'number' &&
    Number.isSafeInteger(v.bytes) &&
    v.bytes >= 0
  );
}

/** The packages and chosen profiles recorded in a project's settings. */
export function readProjectFhirPackages(settings: Record<string, unknown> | undefined): {
  packages: ProjectFhirPackage[];
  profiles: string[];
} {
  const rawPackages = settings?.[PROJECT_FHIR_PACKAGES_KEY];
  const rawProfiles = settings?.[PROJECT_FHIR_PROFILES_KEY];
  const seen = new Set<string>();
  const packages: ProjectFhirPackage[] = [];
  for (const entry of Array.isArray(rawPackages) ? rawPackages : []) {
    if (!isRef(entry) || seen.has(entry.sha256)) continue;
    seen.add(entry.sha256);
    const { fileName, name, version, sha256, bytes } = entry;
    const terminology = (entry as { terminology?: unknown }).terminology === true;
    packages.push({ fileName, name, version, sha256, bytes, ...(terminology ? { terminology } : {}) });
  }
  const profiles = Array.isArray(rawProfiles)
    ? [...new Set(rawProfiles.filter((p): p is string => typeof p === 'string' && p !== ''))]
    : [];
  return { packages, profiles };
}

/** `settings` with the packages and chosen profiles replaced (the other settings kept as they are). */
export function withProjectFhirPackages(
  settings: Record<string, unknown>,
  packages: readonly ProjectFhirPackage[],
  profiles: readonly string[],
): Record<string, unknown> {
  return {
    ...settings,
    [PROJECT_FHIR_PACKAGES_KEY]: packages.map((p) => ({ ...p })),
    [PROJECT_FHIR_PROFILES_KEY]: [...profiles],
  };
}
