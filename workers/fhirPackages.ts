/**
 * Implementation guide packages (FHIR NPM `.tgz`) inside the FHIR validator worker: the page hands
 * over each package's bytes as a Blob, and only this worker reads them (src/core/fhirProfiles/).
 * What leaves the worker is a summary (name, version, SHA-256, declared dependencies, the profiles
 * a user can pick) or a problem that names the file and says what to do.
 *
 * Constraints:
 * - A package is read once per worker and kept by its SHA-256: validating again, or with another
 *   choice of profiles, does not read it again.
 * - The same reading, registry and report fields as the CLI's `--ig` and `--terminology`
 *   (src/cli/commands/fhirValidate.ts),
 *   so a report made here lists the same packages and issues as one made there.
 */
import {
  asTerminologyPackage,
  createIgPackageCache,
  type IgPackage,
  IgPackageError,
  loadProfileRegistry,
  type MissingIgDependency,
  type ProfileRegistry,
} from '../src/core/fhirProfiles/index.ts';
import type { InputProblem } from './validateTypes.ts';

/** One package as the page hands it over: its bytes and the name of the file it came from. */
export interface FhirPackageSpec {
  /** the `.tgz` file's name, for messages */
  name: string;
  file: Blob;
  /** loaded for its code systems and value sets only (as the CLI's `--terminology`) */
  terminology?: true;
}

/** A profile a package defines that a user can apply to every resource of its type. */
export interface FhirProfileChoice {
  url: string;
  /** the resource type it constrains */
  type: string;
  /** its title, or its name */
  title: string;
}

/** What the page shows of a loaded package. */
export interface FhirPackageSummary {
  /** the `.tgz` file's name */
  fileName: string;
  name: string;
  version: string;
  sha256: string;
  bytes: number;
  fhirVersions: string[];
  dependencies: { name: string; version: string }[];
  /** profiles on resource types, by title */
  profiles: FhirProfileChoice[];
  /** extensions the package defines */
  extensions: number;
  /** loaded for its code systems and value sets only: how many of each it has */
  terminology?: { codeSystems: number; valueSets: number };
}

/** The summaries of a set of packages and what the set misses, or the first package that cannot be used. */
export type FhirPackagesOutcome =
  | { ok: true; packages: FhirPackageSummary[]; missing: MissingIgDependency[] }
  | { ok: false; problem: InputProblem };

/** A package that cannot be used, as the user sees it: the file, what is wrong, what to do. */
export class PackageProblem extends Error {
  override name = 'PackageProblem';
  constructor(readonly problem: InputProblem) {
    super(problem.message);
  }
}

const ADVICE_NOT_PACKAGE =
  'Choose the package file itself: a .tgz as the FHIR package registry or the guide’s publisher provides it (for example hl7.fhir.uv.ips-2.0.0.tgz), not an unpacked folder, a zip or a web page.';
const ADVICE_DAMAGED = 'The file is damaged or incomplete. Download the package again and add it again.';

function problemOf(name: string, error: IgPackageError): InputProblem {
  const notPackage = /not gzip|no package\/package\.json|tar header|not a FHIR package/i.test(error.message);
  return {
    file: name,
    message: `${name} cannot be used as an implementation guide package: ${error.message.replace(/\.?$/, '.')}`,
    advice: notPackage ? ADVICE_NOT_PACKAGE : ADVICE_DAMAGED,
  };
}

/**
 * Reads packages handed over as Blobs, each once per worker (by SHA-256), with the core's bounded
 * archive reader: `maxUnpackedBytes` defaults to its bound (PACKAGE_LIMITS, src/core/fhirProfiles/tar.ts),
 * which a gzip bomb meets long before memory does; a test passes a smaller one to be quick.
 */
export function createPackageCache(maxUnpackedBytes?: number) {
  const readPackage = createIgPackageCache(maxUnpackedBytes);
  const read = async (spec: FhirPackageSpec): Promise<IgPackage> => {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await spec.file.arrayBuffer());
    } catch {
      throw new PackageProblem({
        file: spec.name,
        message: `Preflight could not read ${spec.name}.`,
        advice: 'The file may have been moved or deleted since you chose it. Add it again.',
      });
    }
    try {
      return await readPackage(bytes);
    } catch (error) {
      if (error instanceof IgPackageError) throw new PackageProblem(problemOf(spec.name, error));
      throw error;
    }
  };

  /** The registry over `specs`, and each package with its file. Throws {@link PackageProblem}. */
  const registryOf = async (
    specs: readonly FhirPackageSpec[],
  ): Promise<{ registry: ProfileRegistry; loaded: { spec: FhirPackageSpec; pkg: IgPackage }[] }> => {
    const loaded: { spec: FhirPackageSpec; pkg: IgPackage }[] = [];
    for (const spec of specs) {
      const pkg = await read(spec);
      loaded.push({ spec, pkg: spec.terminology ? asTerminologyPackage(pkg) : pkg });
    }
    // a package with differentials only loads the built-in R4 base (a chunk of its own) here
    return { registry: await loadProfileRegistry(loaded.map((l) => l.pkg)), loaded };
  };

  return {
    registryOf,
    /** The summaries of `specs` and the dependencies they declare that are not among them. */
    async inspect(specs: readonly FhirPackageSpec[]): Promise<FhirPackagesOutcome> {
      try {
        const { registry, loaded } = await registryOf(specs);
        return {
          ok: true,
          packages: loaded.map(({ spec, pkg }) => summaryOf(spec, pkg)),
          missing: registry.missingDependencies.map((m) => ({ ...m, requiredBy: [...m.requiredBy] })),
        };
      } catch (error) {
        if (error instanceof PackageProblem) return { ok: false, problem: error.problem };
        throw error;
      }
    },
  };
}

function summaryOf(spec: FhirPackageSpec, pkg: IgPackage): FhirPackageSummary {
  const constraints = pkg.structureDefinitions.filter((sd) => sd.derivation === 'constraint');
  const profiles = constraints
    .filter((sd) => sd.kind === 'resource' && sd.type !== 'Extension')
    .map((sd) => ({
      url: sd.url,
      type: sd.type,
      title: (sd.title as string | undefined) ?? (sd.name as string | undefined) ?? sd.url,
    }))
    .sort((a, b) => a.type.localeCompare(b.type) || a.title.localeCompare(b.title));
  return {
    fileName: spec.name,
    name: pkg.name,
    version: pkg.version,
    sha256: pkg.sha256,
    bytes: spec.file.size,
    fhirVersions: [...pkg.fhirVersions],
    dependencies: pkg.dependencies.map((d) => ({ ...d })),
    profiles,
    extensions: constraints.filter((sd) => sd.type === 'Extension').length,
    ...(pkg.terminology
      ? { terminology: { codeSystems: pkg.codeSystems.length, valueSets: pkg.valueSets.length } }
      : {}),
  };
}
