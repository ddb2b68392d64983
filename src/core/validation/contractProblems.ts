/**
 * The words of a contract that cannot be used, the same on every side: the CLI prints them, the
 * page shows them (when the file is chosen, or when its worker compiles it). What is wrong, where
 * (the JSON Pointers into the contract), and what to do.
 */

import type { ContractProblemPlace } from './contractCompile.ts';

/** A contract file that cannot be used, in words. */
export interface ContractFileProblem {
  /** the contract's file (or its name in the project) */
  file: string;
  message: string;
  advice: string;
  /** the places in the contract (JSON Pointers) the message names */
  paths?: string[];
}

/** The problem of a contract whose JSON Schema does not compile (`compileContract`'s problems). */
export function contractCompileProblem(
  file: string,
  problems: readonly ContractProblemPlace[],
): ContractFileProblem {
  return {
    file,
    message: `The column contract "${file}" cannot be used: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}.`,
    advice:
      'Correct the contract at the places named (in the JSON Schema file), then choose it again; or pick another contract.',
    paths: problems.map((p) => p.path),
  };
}

/** A contract problem as one text: what is wrong and where, then what to do. */
export function contractProblemText(problem: ContractFileProblem): string {
  return `${problem.message} ${problem.advice}`;
}
