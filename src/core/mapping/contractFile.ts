/**
 * A column contract file read as every side reads it: `preflight validate --schema` and the
 * Migration screen's "Add a column contract" take the same bytes to the same contract, or to the
 * same problem in the same words — what is wrong, where in the file, and what to do.
 *
 * Constraints:
 * - No I/O: the caller reads the file (a path, a dropped `File`) and hands its size and bytes.
 * - Messages never quote the file's text (V8's JSON message does; `parseJsonText` names the line
 *   and column instead).
 */
import { decodeUtf8Strict, parseJsonText } from '../../formats/jsonText.ts';
import type { ContractFileProblem, RunContract } from '../validation/index.ts';
import { runContractShape } from './mappedRun.ts';

/** A column contract is a small JSON file; anything larger is not one. */
export const MAX_CONTRACT_BYTES = 16 * 1024 * 1024;

/** The problem of a file too large to be a contract (read before its bytes are), or undefined. */
export function contractTooLarge(file: string, size: number): ContractFileProblem | undefined {
  return size > MAX_CONTRACT_BYTES
    ? {
        file,
        message: `"${file}" is too large to be a column contract (a JSON Schema of a few kilobytes).`,
        advice: 'Choose the contract file itself: a JSON Schema or a Table Schema, not an extract.',
      }
    : undefined;
}

/** A contract file's bytes as a run's contract (see the file header). */
export function readContractBytes(
  file: string,
  bytes: Uint8Array,
): { ok: true; contract: RunContract } | { ok: false; problem: ContractFileProblem } {
  const tooLarge = contractTooLarge(file, bytes.length);
  if (tooLarge) return { ok: false, problem: tooLarge };
  const decoded = decodeUtf8Strict(bytes, `The contract "${file}"`);
  if (!decoded.ok)
    return {
      ok: false,
      problem: {
        file,
        message: `${decoded.message}.`,
        advice: 'Save the contract as UTF-8 JSON, then choose it again.',
      },
    };
  const parsed = parseJsonText(decoded.text);
  if (!parsed.ok)
    return {
      ok: false,
      problem: {
        file,
        message: `The contract "${file}" is ${parsed.problem.message}.`,
        advice:
          'Correct the JSON at that line and column (a missing comma or quote, most often), then choose it again.',
      },
    };
  return runContractShape(parsed.value, file);
}
