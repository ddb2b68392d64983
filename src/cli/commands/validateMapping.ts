/**
 * `preflight validate <file.csv…> --mapping [file=]mapping.json`: each row of a file is mapped
 * with a `preflight.mapping/v1` whose target is an R4 resource type, and the mapped resource is
 * validated by the FHIR layers in the same pass as the CSV checks (core `fhir/mappedRows.ts`).
 * Kept apart from validate.ts, which only calls {@link attachMappings}.
 *
 * Constraints:
 * - A mapping is paired with a file by `file=`, else by its `source` (the file name it was written
 *   for), else it applies to the only file. A mapping that cannot run (not a mapping, not a FHIR
 *   target, problems against the file's header) is a usage problem (exit 2) naming the mapping,
 *   the file and JSON Pointers into the mapping — never a cell value.
 * - The mapping's key (one column) is checked for duplicates like `--key`.
 * - With `--workers N` a mapped file is split like any other: each range worker prepares the
 *   check itself from the mapping and the FHIR options ({@link registerRowCheck}).
 */
import path from 'node:path';
import { generatedModules } from '../../core/migration/fhir/generatedModules.ts';
import { type MappedFhirCheck, prepareMappedFhirCheck } from '../../core/migration/fhir/mappedRows.ts';
import { compileMapping } from '../../core/migration/mapping/compileMapping.ts';
import { readRecordAt } from '../../core/migration/validateCsv.ts';
import type { InputJob } from '../../core/migration/validateInputs.ts';
import { loadMapping, type Mapping } from '../../formats/mapping.ts';
import type { Report } from '../../formats/report.ts';
import { type CliIo, type OptionSpec, type ParsedArgs, UsageError } from '../command.ts';
import { readSmallJsonFile } from '../openFiles.ts';
import { GENERATED_FHIR_MODULES, registerRowCheck } from '../validateWorkers.ts';
import { ensureGenerated, layersFromArgs, unknownExtensionSeverity } from './fhirValidate.ts';

/** A mapping is a small JSON file; anything larger is not one. */
const MAX_MAPPING_BYTES = 16 * 1024 * 1024;

/** The `--mapping` option of `preflight validate`. */
export const MAPPING_OPTION: OptionSpec = {
  name: 'mapping',
  type: 'string',
  multiple: true,
  valueName: '[file=]mapping.json',
  description:
    'a mapping (preflight.mapping/v1) to an R4 resource type: each row is mapped and the resource validated by the FHIR layers (paired by "file=", else by the mapping\'s source file name)',
};

/** A mapping that cannot be used with its file (exit 2). */
export class MappingUnusableError extends Error {
  override name = 'MappingUnusableError';
}

/** What the report says about the mappings of a run. */
export interface MappedRunInfo {
  /** `{ type: "fhir", resourceType }` when every file was mapped to the same type */
  target?: Report['target'];
  /** the mapping, when one mapping was applied to every file */
  mapping?: Report['mapping'];
}

function matches(file: string, name: string): boolean {
  const base = path.basename(file);
  return file === name || base === name || base.slice(0, base.lastIndexOf('.')) === name;
}

/** `--mapping` values → mapping file per input file. */
async function pairMappings(
  files: readonly string[],
  values: readonly string[],
  read: (file: string) => Promise<Mapping>,
): Promise<Map<string, string>> {
  const pairs = new Map<string, string>();
  const pair = (file: string, mappingFile: string) => {
    if (pairs.has(file)) throw new UsageError(`--mapping is given twice for "${file}"`);
    pairs.set(file, mappingFile);
  };
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq > 0) {
      const name = value.slice(0, eq);
      const hits = files.filter((f) => matches(f, name));
      if (hits.length !== 1)
        throw new UsageError(
          `--mapping names "${name}", which ${hits.length === 0 ? 'is not one of the files' : 'matches more than one file'}`,
        );
      pair(hits[0] as string, value.slice(eq + 1));
      continue;
    }
    if (files.length === 1) {
      pair(files[0] as string, value);
      continue;
    }
    const { source } = await read(value);
    const hits = files.filter((f) => matches(f, source));
    if (hits.length !== 1)
      throw new UsageError(
        `the mapping "${value}" is for "${source}", which ${hits.length === 0 ? 'is not one of the files' : 'matches more than one file'}: pair it as --mapping <file>=${value}`,
      );
    pair(hits[0] as string, value);
  }
  return pairs;
}

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
  if (loaded.value.target.type !== 'fhir')
    throw new MappingUnusableError(
      `the mapping "${file}" maps to a JSON Schema; preflight validate runs mappings to FHIR R4 resource types. Check the extract's columns with --schema.`,
    );
  return loaded.value;
}

/** The header the engine will read for a job (its first record, or "column N" names). */
async function headerOf(job: InputJob): Promise<string[]> {
  const first = (await readRecordAt(job.source, job.layout, 0)) ?? [];
  return job.layout.header ? first : first.map((_, i) => `column ${i + 1}`);
}

/**
 * Reads the `--mapping` files, pairs them with the files, checks each against its file's header
 * (warnings such as a missing column go to stderr), loads the FHIR layers and sets each mapped
 * job's `rowCheck` and key. Returns what the report says about the mappings.
 *
 * @throws {MappingUnusableError} for a mapping that cannot be used; {@link UsageError} for bad pairing.
 */
export async function attachMappings(
  args: ParsedArgs,
  files: readonly string[],
  jobs: readonly InputJob[],
  io: CliIo,
): Promise<MappedRunInfo> {
  const values = args.strings('mapping');
  if (values.length === 0) return {};
  const layers = layersFromArgs(args);
  const unknownExtensions = unknownExtensionSeverity(args);
  const mappings = new Map<string, Mapping>();
  const read = async (file: string) => {
    let mapping = mappings.get(file);
    if (!mapping) {
      mapping = await readMapping(file, io.cwd);
      mappings.set(file, mapping);
    }
    return mapping;
  };
  const pairs = await pairMappings(files, values, read);
  await ensureGenerated(io, 'validate');
  const checks = new Map<string, MappedFhirCheck>();
  const used = new Set<string>();
  const types = new Set<string>();
  for (const [i, file] of files.entries()) {
    const mappingFile = pairs.get(file);
    if (mappingFile === undefined) continue;
    const mapping = await read(mappingFile);
    const job = jobs[i] as InputJob;
    const compiled = compileMapping(mapping, await headerOf(job));
    if (!compiled.ok) {
      const lines = compiled.problems.map((p) => `  ${p.path || '/'}: ${p.message}`);
      throw new MappingUnusableError(
        `the mapping "${mappingFile}" cannot run on "${file}":\n${lines.join('\n')}`,
      );
    }
    for (const warning of compiled.compiled.warnings)
      io.stderr(
        `preflight validate: mapping "${mappingFile}" on "${file}" at ${warning.path}: ${warning.message}`,
      );
    let check = checks.get(mappingFile);
    if (!check) {
      try {
        check = await prepareMappedFhirCheck(mapping, generatedModules, { layers, unknownExtensions });
        // range workers (--workers N) prepare the same check from the same inputs
        registerRowCheck(check.rowCheck, {
          mapping,
          modules: GENERATED_FHIR_MODULES,
          options: { layers, unknownExtensions },
        });
      } catch (error) {
        if ((error as Error)?.name !== 'NotFhirTargetError') throw error;
        throw new MappingUnusableError(
          `the mapping "${mappingFile}" maps to "${mappedType(mapping)}", which is not an R4 resource type (such as Patient or Observation, spelled exactly).`,
        );
      }
      checks.set(mappingFile, check);
    }
    job.rowCheck = check.rowCheck;
    used.add(mappingFile);
    types.add(check.resourceType);
    if (Array.isArray(mapping.key) && mapping.key.length > 1)
      io.stderr(
        `preflight validate: the key of "${mappingFile}" has ${mapping.key.length} columns; duplicate keys are checked for one-column keys only (give one with --key)`,
      );
    else {
      const column = Array.isArray(mapping.key) ? (mapping.key[0] as string) : mapping.key;
      const keys = [...(job.keys ?? [])];
      if (!keys.some((k) => k.column === column)) keys.push({ column });
      job.keys = keys;
    }
  }
  const info: MappedRunInfo = {};
  if (pairs.size === files.length && types.size === 1)
    info.target = { type: 'fhir', resourceType: [...types][0] as string };
  if (pairs.size === files.length && used.size === 1) {
    const only = [...checks.values()][0] as MappedFhirCheck;
    info.mapping = only.mapping;
  }
  return info;
}

function mappedType(mapping: Mapping): string {
  return mapping.target.type === 'fhir' ? mapping.target.resourceType : '';
}
