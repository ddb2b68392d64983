/**
 * A range worker of `preflight validate --workers N` (node:worker_threads): opens the file, compiles
 * the contract, validates its byte range with the core's `validateCsv`, and posts the result.
 * A tiny adapter: all logic is in src/core.
 */
import { open } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { compileColumnContract } from '../core/migration/columnContract.ts';
import { keySetFromState } from '../core/migration/keySet.ts';
import { TextDecodeError } from '../core/migration/textDecoding.ts';
import { type ValidateCsvOptions, validateCsv } from '../core/migration/validateCsv.ts';
import type { RangeAnswer, RangeTask } from './validateWorkers.ts';

const task = workerData as RangeTask;
let answer: RangeAnswer;
const handle = await open(task.file, 'r');
try {
  const options: ValidateCsvOptions = {
    ...task.options,
    references: task.options.references.map((r) => ({
      column: r.column,
      target: r.target,
      targetColumn: r.targetColumn,
      ...(r.state ? { lookup: keySetFromState(r.state) } : {}),
    })),
  };
  if (task.contract) {
    const compiled = compileColumnContract(task.contract);
    if (compiled.ok) options.fullValidator = compiled.validate;
  }
  let buffer = new Uint8Array(0);
  const result = await validateCsv(
    {
      name: task.name,
      size: task.size,
      read: async (offset, length) => {
        if (buffer.length < length) buffer = new Uint8Array(length);
        const { bytesRead } = await handle.read(buffer, 0, length, offset);
        return buffer.subarray(0, bytesRead);
      },
    },
    options,
  );
  answer = { ok: true, result };
} catch (error) {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : 'the range could not be validated';
  answer =
    error instanceof TextDecodeError
      ? { ok: false, name, message, byteOffset: error.byteOffset, encoding: error.encoding }
      : { ok: false, name, message };
} finally {
  await handle.close();
}
parentPort?.postMessage(answer);
