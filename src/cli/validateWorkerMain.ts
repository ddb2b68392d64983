/**
 * A pooled worker of `preflight validate` (validateWorkers.ts, node:worker_threads): for each file
 * it is sent, opens it, validates it whole with the core's `validateCsv`, and posts the result
 * with its typed arrays transferred (before it, the file's progress every few MB when asked:
 * validateProgress.ts `throttledProgress`). A contract's validator is compiled once per contract
 * text and a mapped file's row check prepared once per mapping, and kept for later files (core
 * `createPreparedCache`). A tiny adapter: all logic is in src/core.
 *
 * The FHIR layers load only for a mapping to FHIR (with the implementation guide packages the run
 * read, read again here by path, each once per content), and the generated FHIR modules (plain
 * JavaScript) are imported natively from their folder, named by the spec: a bundler would expand
 * the core's loader pattern to all of them.
 */
import { open, readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { compileColumnContract } from '../core/contract/index.ts';
import { TextDecodeError } from '../core/csv/index.ts';
import type { FhirModuleLoader, FhirPathEngine, StructureValidator } from '../core/fhir/index.ts';
import type { IgPackageReader } from '../core/fhirProfiles/index.ts';
import {
  createPreparedCache,
  type FullRowValidator,
  type RowCheckFactory,
  receivedReferences,
  resultBuffers,
  runStopMessage,
  type ValidateCsvOptions,
  validateCsv,
} from '../core/validation/index.ts';
import { createFileKeySpill } from './keySpillFiles.ts';
import { throttledProgress } from './validateProgress.ts';
import type {
  FileAnswer,
  FileTask,
  MappedCheckSpec,
  MappedFhirCheckSpec,
  WorkerFailure,
  WorkerMessage,
  WorkerReply,
} from './validateWorkers.ts';

/** Contracts compiled (undefined: one that does not compile), by their text. */
const validators = createPreparedCache<FullRowValidator | undefined>();

function validatorOf(contract: string): Promise<FullRowValidator | undefined> {
  return validators(contract, () => {
    // only a contract the main thread compiled without problems is sent (`registerContract`):
    // not checked against its meta-schema again
    const compiled = compileColumnContract(JSON.parse(contract) as Record<string, unknown>, {
      checked: true,
    });
    return compiled.ok ? compiled.validate : undefined;
  });
}

const RESOURCE_TYPE = /^[A-Z][A-Za-z]{1,63}$/;

/** The loader of the generated modules in `folder` (a file URL ending in "/"). */
function modulesIn(folder: string): FhirModuleLoader {
  // a variable specifier: a bundler leaves these imports to Node
  const load = (file: string): Promise<unknown> => import(new URL(file, folder).href);
  return {
    digest: async () =>
      ((await load('digest.js')) as { default: Awaited<ReturnType<FhirModuleLoader['digest']>> }).default,
    structure: async (resourceType) => {
      // the name comes from the data: only a plain type name may become part of a module path
      if (!RESOURCE_TYPE.test(resourceType)) throw new Error('not a resource type name');
      return ((await load(`structure/${resourceType}.js`)) as { validate: StructureValidator }).validate;
    },
    fhirPath: async (): Promise<FhirPathEngine> =>
      (await import('../core/fhir/index.ts')).loadFhirPathEngine(),
    units: async () => (await import('../core/fhir/index.ts')).loadUnitChecker(),
  };
}

async function prepareRowCheck(text: string): Promise<RowCheckFactory> {
  const spec = JSON.parse(text) as MappedCheckSpec;
  if ('targetSchema' in spec) {
    const { prepareMappedSchemaCheck } = await import('../core/mapping/index.ts');
    return prepareMappedSchemaCheck(spec.mapping, spec.targetSchema.schema, {
      schemaName: spec.targetSchema.name,
    }).rowCheck;
  }
  const { prepareMappedFhirCheck } = await import('../core/fhir/index.ts');
  const profiles = spec.packages ? await profilesOf(spec.packages) : undefined;
  return (
    await prepareMappedFhirCheck(spec.mapping, modulesIn(spec.modules), {
      ...spec.options,
      ...(profiles ? { profiles } : {}),
    })
  ).rowCheck;
}

/** The run's packages, read once per content by this worker (core `createIgPackageCache`). */
let readPackage: IgPackageReader | undefined;

/** The profile checking of the packages the run read (the same files: read again here). */
async function profilesOf(packages: NonNullable<MappedFhirCheckSpec['packages']>) {
  const { createIgPackageCache, loadProfileRegistry, validatorProfiles } = await import(
    '../core/fhirProfiles/index.ts'
  );
  readPackage ??= createIgPackageCache();
  const readOnce = readPackage;
  const read = await Promise.all(
    packages.files.map(async (file) => readOnce(new Uint8Array(await readFile(file)))),
  );
  return validatorProfiles(await loadProfileRegistry(read), packages.profiles);
}

/** Mapped files' row checks, by their spec's text. */
const rowChecks = createPreparedCache<RowCheckFactory>();

function rowCheckOf(spec: string): Promise<RowCheckFactory> {
  return rowChecks(spec, () => prepareRowCheck(spec));
}

/** The answer to a task that failed: what the error is, never record content. */
function failure(error: unknown): WorkerFailure {
  const name = error instanceof Error ? error.name : 'Error';
  // an input that cannot be used: in the words the run gives it in process
  const message =
    runStopMessage(error) ?? (error instanceof Error ? error.message : 'the file could not be validated');
  return error instanceof TextDecodeError
    ? {
        ok: false,
        name,
        message,
        byteOffset: error.byteOffset,
        encoding: error.encoding,
        ...(error.line === undefined ? {} : { line: error.line }),
        ...(error.records === undefined ? {} : { records: error.records }),
        ...(error.binary ? { binary: true } : {}),
      }
    : { ok: false, name, message };
}

/** The pass of the file this worker validates now, to cancel it. */
const running = new Map<number, AbortController>();

async function validateFile(
  id: number,
  task: FileTask,
): Promise<{ answer: FileAnswer; transfer: ArrayBuffer[] }> {
  const controller = new AbortController();
  running.set(id, controller);
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(task.file, 'r');
    const opened = handle;
    // one buffer reused for every read, as the CLI's own reader does
    let buffer = new Uint8Array(0);
    const read = async (offset: number, length: number) => {
      if (buffer.length < length) buffer = new Uint8Array(length);
      const { bytesRead } = await opened.read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead);
    };
    const options: ValidateCsvOptions = {
      ...task.options,
      references: receivedReferences(task.options.references),
      signal: controller.signal,
    };
    const validate = task.contract === undefined ? undefined : await validatorOf(task.contract);
    if (validate) options.fullValidator = validate;
    if (task.rowCheck !== undefined) options.rowCheck = await rowCheckOf(task.rowCheck);
    if (task.keySpillFolder !== undefined)
      options.keySpill = createFileKeySpill(task.keySpillFolder, task.keySpillMemoryBytes);
    if (task.progress === true)
      options.onProgress = throttledProgress((progress) =>
        parentPort?.postMessage({ id, progress } satisfies WorkerReply),
      );
    const result = await validateCsv({ name: task.name, size: task.size, read }, options);
    return { answer: { ok: true, result }, transfer: resultBuffers(result) };
  } catch (error) {
    return { answer: failure(error), transfer: [] };
  } finally {
    running.delete(id);
    await handle?.close();
  }
}

parentPort?.on('message', async (message: WorkerMessage) => {
  if ('cancel' in message) {
    running.get(message.id)?.abort();
    return;
  }
  const { answer, transfer } = await validateFile(message.id, message.task);
  parentPort?.postMessage({ id: message.id, answer } satisfies WorkerReply, transfer);
});
