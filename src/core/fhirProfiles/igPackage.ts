/**
 * Reads a FHIR NPM package (`.tgz`, as the FHIR package registry and vendor portals publish them):
 * its `package/package.json` (name, version, declared dependencies) and the conformance resources
 * profile validation uses — StructureDefinitions, ValueSets, CodeSystems — from the files directly
 * under `package/` (examples, XML and other folders are not read). The SHA-256 of the `.tgz` bytes
 * identifies the exact package a report was made with.
 */
import { sha256HexAsync } from '../hash/index.ts';
import { gunzip, PACKAGE_LIMITS, readTar, TarReadError } from './tar.ts';
import type { CodeSystem, ConformanceResource, StructureDefinition, ValueSet } from './types.ts';

/** A package that cannot be used; `file` is the file inside the package when one is to blame. */
export class IgPackageError extends Error {
  override name = 'IgPackageError';
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(file ? `${file}: ${message}` : message);
  }
}

/** A dependency a package declares (`package.json` `dependencies`). */
export interface IgDependency {
  name: string;
  version: string;
}

/** A loaded package. */
export interface IgPackage {
  name: string;
  version: string;
  /** lowercase hex SHA-256 of the `.tgz` as given */
  sha256: string;
  fhirVersions: string[];
  canonical?: string;
  dependencies: IgDependency[];
  structureDefinitions: StructureDefinition[];
  valueSets: ValueSet[];
  codeSystems: CodeSystem[];
  /**
   * Its Questionnaires (with a `url`), against which a QuestionnaireResponse naming one is checked;
   * absent when it has none.
   */
  questionnaires?: Record<string, unknown>[];
  /**
   * Its Measures (with a `url`), against which a MeasureReport naming one is checked; absent when
   * it has none.
   */
  measures?: Record<string, unknown>[];
  /**
   * The profiles its ImplementationGuide declares global (`ImplementationGuide.global`): each
   * applies to every resource of its type, whatever the resource claims.
   */
  globalProfiles?: { type: string; profile: string }[];
  /**
   * Loaded for its code systems and value sets only ({@link asTerminologyPackage}): a clinic's own
   * codes, or `hl7.terminology.r4`. Its profiles are not applied and its dependencies not asked for.
   */
  terminology?: true;
}

/**
 * A package loaded as terminology: its value sets and code systems join the loaded ones (bindings
 * expand over them; the code systems it ships whole are checked for membership), and nothing else
 * of it is used — no profile or extension definition, no dependency, no canonical base.
 */
export function asTerminologyPackage(pkg: IgPackage): IgPackage {
  const { globalProfiles: _notApplied, questionnaires: _notUsed, measures: _notRead, ...rest } = pkg;
  return { ...rest, structureDefinitions: [], dependencies: [], terminology: true };
}

const KINDS = new Set(['StructureDefinition', 'ValueSet', 'CodeSystem']);

function parseJson(bytes: Uint8Array, file: string): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new IgPackageError('not UTF-8 text', file);
  }
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    throw new IgPackageError('not valid JSON', file);
  }
}

/**
 * A package name as npm and the FHIR package registry write them (an optional `@scope/`, then
 * letters, digits, `.`, `_`, `~` and `-`), at most npm's 214 characters.
 */
const PACKAGE_NAME = /^(?:@[A-Za-z0-9][A-Za-z0-9._~-]*\/)?[A-Za-z0-9][A-Za-z0-9._~-]*$/;
const MAX_PACKAGE_NAME = 214;
/** A version: `4.0.1`, `6.1.0`, `2.0.0-ballot`, `1.0.0+20240101`, `current`; at most 64 characters. */
const PACKAGE_VERSION = /^[A-Za-z0-9][A-Za-z0-9.+_-]{0,63}$/;

/**
 * Refuses a name or version that is not one: they are shown and printed as they are, so they may
 * hold no control character, line break or other text a screen or terminal would act on, and are
 * bounded in length. Neither is ever quoted in the message.
 */
function checkPackageId(name: string, version: string, what: string): void {
  if (name.length > MAX_PACKAGE_NAME || !PACKAGE_NAME.test(name))
    throw new IgPackageError(
      `the name of ${what} is not a package name (letters, digits, ".", "_", "~" and "-", at most ${MAX_PACKAGE_NAME} characters)`,
      'package/package.json',
    );
  if (!PACKAGE_VERSION.test(version))
    throw new IgPackageError(
      `the version of ${what} is not a version (letters, digits, ".", "+", "_" and "-", at most 64 characters)`,
      'package/package.json',
    );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Reads a package from the bytes of its `.tgz`, unpacking at most `maxUnpackedBytes` (default
 * {@link PACKAGE_LIMITS}; a test passes a small one). Throws {@link IgPackageError}.
 */
export async function readIgPackage(
  tgz: Uint8Array,
  maxUnpackedBytes: number = PACKAGE_LIMITS.maxUnpackedBytes,
): Promise<IgPackage> {
  // hashed beside the unpacking (WebCrypto works off the main thread where it can)
  const sha256 = sha256HexAsync(tgz);
  sha256.catch(() => {}); // awaited below unless the package is refused first
  let files: ReturnType<typeof readTar>;
  try {
    files = readTar(await gunzip(tgz, maxUnpackedBytes));
  } catch (error) {
    if (error instanceof TarReadError) throw new IgPackageError(error.message);
    throw error;
  }
  const manifestFile = files.find((f) => f.path === 'package/package.json');
  if (!manifestFile)
    throw new IgPackageError('Not a FHIR package: it has no package/package.json (expected a FHIR NPM .tgz)');
  const manifest = parseJson(manifestFile.bytes, 'package/package.json');
  if (!isObject(manifest) || typeof manifest.name !== 'string' || typeof manifest.version !== 'string')
    throw new IgPackageError('package.json must name the package and its version', 'package/package.json');
  checkPackageId(manifest.name, manifest.version, 'the package');
  const dependencies: IgDependency[] = [];
  if (isObject(manifest.dependencies)) {
    for (const [name, version] of Object.entries(manifest.dependencies)) {
      if (typeof version !== 'string') continue;
      checkPackageId(name, version, 'a dependency');
      dependencies.push({ name, version });
    }
  }
  const pkg: IgPackage = {
    name: manifest.name,
    version: manifest.version,
    sha256: await sha256,
    fhirVersions: Array.isArray(manifest.fhirVersions)
      ? manifest.fhirVersions.filter((v): v is string => typeof v === 'string')
      : [],
    dependencies,
    structureDefinitions: [],
    valueSets: [],
    codeSystems: [],
  };
  if (typeof manifest.canonical === 'string') pkg.canonical = manifest.canonical;
  const questionnaires: Record<string, unknown>[] = [];
  const measures: Record<string, unknown>[] = [];
  for (const file of files) {
    // conformance resources sit directly under package/ (example/, other/, xml/ are not read)
    if (!/^package\/[^/]+\.json$/.test(file.path) || file.path === 'package/package.json') continue;
    if (file.path === 'package/.index.json') continue;
    const resource = parseJson(file.bytes, file.path);
    if (isObject(resource) && resource.resourceType === 'ImplementationGuide') {
      const globals = (Array.isArray(resource.global) ? resource.global : []).filter(
        (g): g is { type: string; profile: string } =>
          isObject(g) && typeof g.type === 'string' && typeof g.profile === 'string',
      );
      if (globals.length > 0)
        pkg.globalProfiles = [
          ...(pkg.globalProfiles ?? []),
          ...globals.map((g) => ({ type: g.type, profile: g.profile })),
        ];
      continue;
    }
    if (isObject(resource) && resource.resourceType === 'Questionnaire') {
      // one without a url cannot be named by a response: not kept
      if (typeof resource.url === 'string') questionnaires.push(resource);
      continue;
    }
    if (isObject(resource) && resource.resourceType === 'Measure') {
      // likewise for a report
      if (typeof resource.url === 'string') measures.push(resource);
      continue;
    }
    if (!isObject(resource) || !KINDS.has(resource.resourceType as string)) continue;
    if (typeof resource.url !== 'string')
      throw new IgPackageError(`a ${resource.resourceType} without a url`, file.path);
    const typed = resource as unknown as ConformanceResource;
    if (typed.resourceType === 'StructureDefinition') {
      if (typeof typed.type !== 'string')
        throw new IgPackageError('a StructureDefinition without a type', file.path);
      pkg.structureDefinitions.push(typed);
    } else if (typed.resourceType === 'ValueSet') pkg.valueSets.push(typed);
    else pkg.codeSystems.push(typed);
  }
  if (questionnaires.length > 0) pkg.questionnaires = questionnaires;
  if (measures.length > 0) pkg.measures = measures;
  return pkg;
}
