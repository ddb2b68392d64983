/**
 * The shape of a structure or cross-file rule of the validation engine (one rule per file,
 * declared as data, registered in {@link ./index.ts}). Detection happens in the engine's one
 * pass over the rows (a rule cannot cost a pass of its own); the rule declares what the report,
 * the UI legend and the docs say about it.
 */
import type { IssueSeverity } from '../../../formats/report.ts';

/** One engine rule. */
export interface EngineRule {
  /** rule id in reports (public: add, never rename) */
  id: string;
  severity: IssueSeverity;
  /** OperationOutcome issue type code */
  code: 'structure' | 'invalid' | 'duplicate' | 'not-found' | 'conflict';
  /** why it matters, in a data team's words (legend and docs) */
  describe: string;
  /** the issue message (never holds a value) */
  message: string;
}
