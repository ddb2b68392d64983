/**
 * A project's FHIR checks as a run applies them, in the app and in the CLI: the layers it leaves
 * switched on and how unknown extensions count; and the implementation guide packages it names,
 * matched with the packages a command line gives. A project file holds its packages by reference
 * only (the app keeps their bytes in the browser), so a run outside the app must be given each.
 */
import { readProjectFhirChecks } from '../../formats/fhirChecks.ts';
import { type ProjectFhirPackage, readProjectFhirPackages } from '../../formats/igPackages.ts';
import { FHIR_LAYERS, type FhirLayer } from './rules.ts';

/**
 * The project's layers, unknown-extension choice and whether extensions at example
 * addresses pass (the defaults when it has none).
 */
export function fhirChecksOf(settings: Readonly<Record<string, unknown>>): {
  layers: FhirLayer[];
  unknownExtensions: 'error' | 'warning';
  allowExampleUrls: boolean;
} {
  const { off, unknownExtensions, allowExampleUrls } = readProjectFhirChecks(settings);
  return {
    layers: FHIR_LAYERS.filter((l) => !(off as readonly string[]).includes(l)),
    unknownExtensions,
    allowExampleUrls,
  };
}

/** The FHIR checks of a run with a project (see {@link projectFhirChecks}). */
export interface ProjectFhirChecks {
  /** the layers that run; absent when the command line's layers replace the project's */
  layers?: FhirLayer[];
  /** absent when the command line's choice replaces the project's */
  unknownExtensions?: 'error' | 'warning';
  /**
   * `true` when the project accepts extensions at example addresses (a run's
   * `--allow-example-urls` accepts them too: the flag can only switch it on)
   */
  allowExampleUrls?: true;
  /** the project file as given, for messages */
  projectFile: string;
  /** the implementation guide packages the project names (by reference: the app keeps their bytes) */
  packages: ProjectFhirPackage[];
  /** the profiles the project applies to every resource of their type; absent when profiles given replace them */
  profiles?: string[];
  /** what the run applies, in words */
  lines: string[];
}

/**
 * The FHIR checks of a run with a project: the project's, unless the run was given layers
 * (`skip`), an unknown-extension choice or profiles of its own. `projectName` names the project
 * file in the lines (its base name). The packages it names are matched to the packages given once
 * they are read ({@link matchProjectPackages}).
 */
export function projectFhirChecks(
  projectFile: string,
  projectName: string,
  settings: Readonly<Record<string, unknown>>,
  given: { skip: boolean; unknownExtensions: boolean; profiles: boolean },
): ProjectFhirChecks {
  const checks = readProjectFhirChecks(settings);
  const { layers } = fhirChecksOf(settings);
  const { packages, profiles } = readProjectFhirPackages(settings);
  const off = checks.off as readonly string[];
  const lines = [
    `FHIR checks of ${projectName}: ${off.length > 0 ? `switched off: ${off.join(', ')}` : 'every check'}; unknown extensions as ${checks.unknownExtensions === 'warning' ? 'warnings' : 'errors'}${checks.allowExampleUrls ? '; extensions at example addresses accepted (test data)' : ''}`,
  ];
  if (packages.length > 0)
    lines.push(
      `  implementation guide packages it names: ${packages.map((p) => `${p.name} ${p.version}`).join(', ')}${profiles.length > 0 ? `; profiles applied to every resource of their type: ${profiles.join(', ')}` : ''}`,
    );
  const overriding = [
    ...(given.skip ? ['--skip'] : []),
    ...(given.unknownExtensions ? ['--unknown-extensions'] : []),
    ...(given.profiles && profiles.length > 0 ? ['--profile'] : []),
  ];
  if (overriding.length > 0)
    lines.push(`  given on the command line, replacing the project's: ${overriding.join(', ')}`);
  return {
    ...(given.skip ? {} : { layers }),
    ...(given.unknownExtensions ? {} : { unknownExtensions: checks.unknownExtensions }),
    ...(checks.allowExampleUrls ? { allowExampleUrls: true as const } : {}),
    projectFile,
    packages,
    ...(given.profiles ? {} : { profiles }),
    lines,
  };
}

/** One `--ig` package as read: the option's value and what the package says it is. */
interface GivenPackage {
  file: string;
  name: string;
  version: string;
  sha256: string;
  /** given with `--terminology`: its code systems and value sets only */
  terminology?: true;
}

/** Thrown when the project names implementation guide packages `--ig` does not give (exit 2). */
export class MissingProjectPackagesError extends Error {
  override name = 'MissingProjectPackagesError';
}

const shortSha = (sha: string) => `${sha.slice(0, 12)}…`;

/**
 * Matches the packages a project names with the `--ig` packages given, by name and version. The
 * project file holds references only (the app keeps the packages in the browser), so each must be
 * given: one that is not, or only in another version, stops the run rather than checking without
 * it. Returns the lines that say what differs without stopping it (the same name and version from
 * another file; a package the project does not name, whose profiles apply too).
 * @throws MissingProjectPackagesError naming each package not given and what to do
 */
export function matchProjectPackages(
  projectFile: string,
  named: readonly ProjectFhirPackage[],
  given: readonly GivenPackage[],
): string[] {
  const lines: string[] = [];
  const missing: string[] = [];
  const label = (p: { name: string; version: string }) => `${p.name} ${p.version}`;
  const option = (g: GivenPackage) => (g.terminology ? '--terminology' : '--ig');
  for (const p of named) {
    const same = given.find((g) => g.name === p.name && g.version === p.version);
    if (same) {
      if (same.sha256 !== p.sha256)
        lines.push(
          `  ${option(same)} ${same.file} is ${label(p)}, as the project names, but not the same file as the one added in the app (SHA-256 ${shortSha(same.sha256)}, the project's ${shortSha(p.sha256)}): ${same.terminology ? 'its codes apply' : 'its profiles apply'}`,
        );
      continue;
    }
    const other = given.filter((g) => g.name === p.name);
    missing.push(
      `  ${label(p)} (added in the app as ${p.fileName}${p.terminology ? ', a terminology package: give it with --terminology' : ''})${other.map((g) => `: ${option(g)} ${g.file} is ${label(g)}, another version`).join('')}`,
    );
  }
  for (const g of given)
    if (!named.some((p) => p.name === g.name))
      lines.push(
        `  ${option(g)} ${g.file} is ${label(g)}, which the project does not name: ${g.terminology ? 'its codes' : 'its profiles'} apply as well`,
      );
  if (missing.length > 0)
    throw new MissingProjectPackagesError(
      [
        `the project "${projectFile}" checks FHIR with ${missing.length === 1 ? 'an implementation guide package' : 'implementation guide packages'} not given with --ig:`,
        ...missing,
        `A project file names its packages but does not hold them (the app keeps them in the browser). Give ${missing.length === 1 ? 'it' : 'each'} with --ig <package.tgz>, the same .tgz file that was added in the app; or remove ${missing.length === 1 ? 'it' : 'them'} from the project in the app (Migration, FHIR files) and export the project again.`,
      ].join('\n'),
    );
  return lines;
}
