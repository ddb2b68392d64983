/**
 * `preflight validate <file.csv…> --mapping [file=]mapping.json`: each row of a file is mapped
 * with a `preflight.mapping/v1` and the mapped record is validated in the same pass as the CSV
 * checks: by the FHIR layers when the target is an R4 resource type (core `fhir/mappedRows.ts`),
 * by ajv against the target JSON Schema when the target is a schema (core `mapping/schemaRows.ts`).
 * Kept apart from validate.ts, which only calls {@link findTargetSchemas} and {@link attachMappings}.
 *
 * Constraints:
 * - A mapping is paired with a file by `file=`, else by its `source` (the file name it was written
 *   for), else it applies to the only file. A mapping that cannot run (not a mapping, a type R4
 *   does not have, a target schema that cannot be found or does not compile, problems against the
 *   file's header) is a usage problem (exit 2) naming the mapping, the file or schema and JSON
 *   Pointers — never a cell value.
 * - A schema target (`"target": { "type": "schema", "schema": S }`) is found by S: the `$id` of a
 *   `--schema` file given without `file=` (that file is then the target, not a column contract),
 *   else a file at S relative to the mapping file. A Frictionless Table Schema is converted.
 * - The mapping's key (one column) is checked for duplicates like `--key`.
 * - With `--workers N` a mapped file is split like any other: each range worker prepares the
 *   check itself from the mapping and the FHIR options ({@link registerRowCheck}), and reads the
 *   `--ig` packages itself when records mapped to FHIR are checked against their profiles.
 */
import path from 'node:path';
import {
  type FhirLayer,
  generatedModules,
  prepareFhirTarget,
  type UnknownExtensionSeverity,
} from '../../core/fhir/index.ts';
import { validatorProfiles } from '../../core/fhirProfiles/index.ts';
import {
  attachMappedChecks,
  type ChosenMapping,
  type MappedRunInfo,
  MappingUnusableError,
  type PreparedMappedCheck,
  prepareSchemaTarget,
  targetSchemaOf,
} from '../../core/mapping/index.ts';
import { type InputJob, pairMappings, type SavedMappingSpec } from '../../core/validation/index.ts';
import { isPlainObject } from '../../formats/loading.ts';
import { loadMapping, type Mapping } from '../../formats/mapping.ts';
import { type CliIo, type OptionSpec, type ParsedArgs, UsageError } from '../command.ts';
import { readSmallJsonFile } from '../openFiles.ts';
import { GENERATED_FHIR_MODULES, registerRowCheck } from '../validateWorkers.ts';
import {
  ensureGenerated,
  layersFromArgs,
  type loadProfiles,
  unknownExtensionSeverity,
} from './fhirValidate.ts';
import { usage } from './validateOptions.ts';

/** A mapping is a small JSON file; anything larger is not one. */
const MAX_MAPPING_BYTES = 16 * 1024 * 1024;

/** The `--mapping` option of `preflight validate`. */
export const MAPPING_OPTION: OptionSpec = {
  name: 'mapping',
  type: 'string',
  multiple: true,
  valueName: '[file=]mapping.json',
  description:
    'map each row (preflight.mapping/v1) and validate the record: FHIR R4, or the target JSON Schema',
};

async function readMapping(file: string, cwd: string): Promise<Mapping> {
  const json = await readSmallJsonFile(
    file,
    cwd,
    { what: 'mapping', tooLargeFor: 'a mapping', maxBytes: MAX_MAPPING_BYTES },
    (message) => new MappingUnusableError(message),
  );
  const loaded = loadMapping(json);
  if (!loaded.ok) {
    const first = loaded.problems[0];
    throw new MappingUnusableError(
      `"${file}" is not a usable mapping (${loaded.problems.length} problem${loaded.problems.length === 1 ? '' : 's'}, first at ${first?.path || 'the top'}: ${first?.message}). Check it with: npx preflight check ${file}`,
    );
  }
  return loaded.value;
}

/** A target schema given with `--schema` (without `file=`), found by its `$id`. */
interface GivenTargetSchema {
  /** the `--schema` value (a path) */
  file: string;
  schema: Record<string, unknown>;
}

/** A target schema is a small JSON file; anything larger is not one. */
const MAX_SCHEMA_BYTES = 16 * 1024 * 1024;

/** The mapping file of a `--mapping` value (`[file=]mapping.json`). */
function mappingFileOf(value: string): string {
  const eq = value.indexOf('=');
  return eq > 0 ? value.slice(eq + 1) : value;
}

/**
 * Sorts the `--schema` values into column contracts and target schemas: a value without `file=`
 * whose JSON has the `$id` a `--mapping`'s schema target names is that mapping's target (so it is
 * not also checked as the columns' contract). Reads each mapping and each such schema once.
 *
 * @throws {MappingUnusableError} for a mapping or schema file that cannot be read.
 */
export async function findTargetSchemas(
  args: ParsedArgs,
  cwd: string,
): Promise<{ contracts: string[]; targets: Map<string, GivenTargetSchema> }> {
  const values = args.strings('schema');
  const targets = new Map<string, GivenTargetSchema>();
  const wanted = new Set<string>();
  for (const value of args.strings('mapping')) {
    const mapping = await readMapping(mappingFileOf(value), cwd);
    if (mapping.target.type === 'schema') wanted.add(mapping.target.schema);
  }
  if (wanted.size === 0) return { contracts: [...values], targets };
  const contracts: string[] = [];
  for (const value of values) {
    if (value.indexOf('=') > 0) {
      contracts.push(value);
      continue;
    }
    const json = await readSmallJsonFile(
      value,
      cwd,
      { what: 'schema', tooLargeFor: 'a schema', maxBytes: MAX_SCHEMA_BYTES },
      (message) => new MappingUnusableError(message),
    );
    const id = isPlainObject(json) && typeof json.$id === 'string' ? json.$id : undefined;
    if (id !== undefined && wanted.has(id) && isPlainObject(json))
      targets.set(id, { file: value, schema: json });
    else contracts.push(value);
  }
  return { contracts, targets };
}

/** The target schema a mapping names, as a JSON Schema (a Table Schema converted), and how to name it. */
async function readTargetSchema(
  mapping: Mapping & { target: { type: 'schema' } },
  mappingFile: string,
  given: ReadonlyMap<string, GivenTargetSchema>,
  cwd: string,
): Promise<{ name: string; schema: Record<string, unknown> }> {
  const reference = mapping.target.schema;
  const byId = given.get(reference);
  let name: string;
  let json: unknown;
  if (byId) {
    name = byId.file;
    json = byId.schema;
  } else {
    // a path relative to the mapping file (as the format says), shown relative to where the user is
    const where = path.resolve(cwd, path.dirname(mappingFile), reference);
    name = path.isAbsolute(mappingFile) || path.isAbsolute(reference) ? where : path.relative(cwd, where);
    json = await readSmallJsonFile(
      name,
      cwd,
      { what: 'target schema', tooLargeFor: 'a target schema', maxBytes: MAX_SCHEMA_BYTES },
      (message) =>
        new MappingUnusableError(
          message.startsWith('cannot read')
            ? `the mapping "${mappingFile}" maps to the schema "${reference}", which is neither a file next to the mapping nor the "$id" of a --schema file (${message}) Give the schema with --schema, or correct the mapping's "target".`
            : message,
        ),
    );
  }
  return { name, schema: targetSchemaOf(json, name, mappingFile) };
}

/** A file's mapping, with a saved mapping's target schema (null: the project holds none). */
interface Chosen extends ChosenMapping {
  target?: SavedMappingSpec['targetSchema'] | null;
}

/**
 * Reads the `--mapping` files, pairs them with the files, checks each against its file's header
 * (warnings such as a missing column go to stderr), prepares each mapping's row check (the FHIR
 * layers, or the target schema compiled by ajv) and sets each mapped job's `rowCheck` and key.
 * Returns what the report says about the mappings.
 *
 * @param targetSchemas target schemas given with `--schema`, by `$id` ({@link findTargetSchemas})
 * @throws {MappingUnusableError} for a mapping that cannot be used; {@link UsageError} for bad pairing.
 */
export async function attachMappings(
  args: ParsedArgs,
  files: readonly string[],
  jobs: readonly InputJob[],
  io: CliIo,
  targetSchemas: ReadonlyMap<string, GivenTargetSchema> = new Map(),
  /** with --project: the mapping each file's check set saved, for the files --mapping leaves out */
  saved: ReadonlyMap<string, SavedMappingSpec> = new Map(),
  /** told each file checked with its saved mapping */
  onSaved: (file: string) => void = () => {},
  /**
   * with --project: the project's FHIR checks for records mapped to FHIR, where `--skip` and
   * `--unknown-extensions` do not replace them (validateProject.ts `projectFhirChecks`)
   */
  fhirChecks: { layers?: FhirLayer[]; unknownExtensions?: UnknownExtensionSeverity } = {},
  /**
   * the `--ig` packages (and the project's), read on the first mapping to FHIR: its records are
   * checked against their profiles as FHIR files are (fhirValidate.ts `loadProfiles`)
   */
  profilesOf: () => ReturnType<typeof loadProfiles> = async () => undefined,
): Promise<MappedRunInfo> {
  const values = args.strings('mapping');
  if (values.length === 0 && saved.size === 0) return {};
  const layers = fhirChecks.layers ?? layersFromArgs(args);
  const unknownExtensions = fhirChecks.unknownExtensions ?? unknownExtensionSeverity(args);
  const mappings = new Map<string, Mapping>();
  const read = async (file: string) => {
    let mapping = mappings.get(file);
    if (!mapping) {
      mapping = await readMapping(file, io.cwd);
      mappings.set(file, mapping);
    }
    return mapping;
  };
  const pairs = await usage(() => pairMappings(files, values, async (value) => (await read(value)).source));

  const chosen = await Promise.all(
    files.map(async (file): Promise<Chosen | undefined> => {
      const given = pairs.get(file);
      if (given !== undefined) return { mapping: await read(given), name: given, given: true };
      const fromProject = saved.get(file);
      if (!fromProject) return undefined;
      onSaved(file);
      // a saved mapping is named as the project names it (and cached by its name)
      const name = `saved mapping "${fromProject.mapping.name}"`;
      return { mapping: fromProject.mapping, name, given: false, target: fromProject.targetSchema ?? null };
    }),
  );
  const warn = (message: string) => io.stderr(`preflight validate: ${message}`);
  return attachMappedChecks(files, jobs, chosen, prepare, warn);

  async function prepare({ mapping, name, target }: Chosen): Promise<PreparedMappedCheck> {
    if (mapping.target.type !== 'schema') return prepareFhirCheck(mapping, name);
    const schemaMapping = mapping as Mapping & { target: { type: 'schema' } };
    const schema =
      target === undefined ? await readTargetSchema(schemaMapping, name, targetSchemas, io.cwd) : target;
    const check = await prepareSchemaTarget(schemaMapping, name, schema);
    // range workers (--workers N) compile the same schema themselves (a compiled one cannot be sent)
    if (schema) registerRowCheck(check.rowCheck, { mapping, targetSchema: schema });
    return check;
  }

  async function prepareFhirCheck(mapping: Mapping, mappingFile: string): Promise<PreparedMappedCheck> {
    await ensureGenerated(io, 'validate');
    const profiled = await profilesOf();
    const check = await prepareFhirTarget(mapping, mappingFile, generatedModules, {
      layers,
      unknownExtensions,
      ...(profiled ? { profiles: validatorProfiles(profiled.registry, profiled.profiles) } : {}),
    });
    // range workers (--workers N) prepare the same check from the same inputs
    registerRowCheck(check.rowCheck, {
      mapping,
      modules: GENERATED_FHIR_MODULES,
      options: { layers, unknownExtensions },
      // each worker reads the same package files: a registry cannot be sent between threads
      ...(profiled
        ? {
            packages: {
              files: args.strings('ig').map((file) => path.resolve(io.cwd, file)),
              profiles: profiled.profiles,
            },
          }
        : {}),
    });
    return check;
  }
}
