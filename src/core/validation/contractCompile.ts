/**
 * A column contract compiled for a run, the same wherever it runs (the CLI's main thread, the
 * page's validator worker): its declarative row plan, and the full validator ajv generates for the
 * rows the plan flags or cannot decide. Patterns are judged for catastrophic backtracking first;
 * the checker loads only for a contract that has patterns.
 *
 * Constraints:
 * - ajv generates code: in the browser this runs only inside the validator worker, whose policy
 *   allows `'unsafe-eval'`; the page never calls it.
 * - A contract that does not compile is a result, not a throw: each adapter says it its own way
 *   (a usage error in the CLI, a problem with JSON Pointers on the page).
 */
import {
  compileColumnContract,
  compilePlan,
  regexCheckerFor,
  type ValidationPlan,
} from '../contract/index.ts';
import type { FullRowValidator } from './validateCsv.ts';

/** A compiled contract: what a file's pass checks rows with. */
export interface CompiledContract {
  plan: ValidationPlan;
  validate: FullRowValidator;
}

/** Where a contract does not compile: a JSON Pointer into it ("/" for the whole), and what is wrong. */
export interface ContractProblemPlace {
  path: string;
  message: string;
}

/** A compiled contract, or where it does not compile. */
export type ContractCompileResult =
  | ({ ok: true } & CompiledContract)
  | { ok: false; problems: ContractProblemPlace[] };

/** Compiles `contract` (a JSON Schema of rows) for a run; see the file header. */
export async function compileContract(contract: Record<string, unknown>): Promise<ContractCompileResult> {
  const result = compileColumnContract(contract, { regexChecker: await regexCheckerFor(contract) });
  if (!result.ok)
    return { ok: false, problems: result.problems.map((p) => ({ path: p.path || '/', message: p.message })) };
  return { ok: true, plan: compilePlan(contract), validate: result.validate };
}
