/**
 * The shape of a terminology rule: what one rule of `$validate-code` reads about the coding being
 * checked and what it may do (add issues, mark the coding not valid, end the check with an answer).
 * The context grows as the check goes on: a rule of a later stage knows more (the code system,
 * then the concept), so it is typed with what its stage has worked out, never with a maybe.
 */
import type { MembershipEngine, Undecided } from '../membership.ts';
import type { IndexedCodeSystem, IndexedConcept, TerminologyStore } from '../store.ts';
import type {
  Coding,
  Extension,
  TxIssue,
  ValidateCodeRequest,
  ValidateCodeResult,
  ValueSet,
} from '../types.ts';

/** A coding of the request and where it sits: `code` parameters, a Coding, or a CodeableConcept's coding. */
export interface Located {
  coding: Coding;
  path: string;
  codePath: string;
  displayPath: string;
}

/** One coding's answer. */
export interface Checked {
  valid: boolean;
  issues: TxIssue[];
  out: Partial<ValidateCodeResult>;
  membershipFailed: boolean;
  /** why the code's membership could not be worked out (a regex refused) */
  reason?: string;
  /** why the code could not be judged at all offline (its code system, which the value set includes, is not held) */
  undecided?: Undecided;
}

/** A request as the engine works on it: with the supplements whose designations count as displays. */
export interface Working extends ValidateCodeRequest {
  /** URLs of the supplements in force (the value set's and the request's) */
  supplementsInForce: ReadonlySet<string>;
}

/** What every rule may use: the held resources and the membership engine over them. */
export interface CodingEngine {
  store: TerminologyStore;
  membership: MembershipEngine;
}

/** The coding being checked, before its system is known. */
export interface CodingContext {
  readonly engine: CodingEngine;
  readonly at: Located;
  readonly req: Working;
  readonly vs: ValueSet | undefined;
  /** the value set as named in issues (`url|version`) */
  readonly vsName: string;
  /** the coding as checked: its system and version filled in as they are worked out */
  readonly coding: Coding;
  readonly code: string;
  readonly issues: TxIssue[];
  readonly out: Partial<ValidateCodeResult>;
  /** the system was worked out from the value set, not given */
  inferred: boolean;
}

/** The coding once its system and the code system version that applies are worked out. */
export interface SystemContext extends CodingContext {
  readonly system: string;
  /** the coding gave its own version */
  readonly explicit: boolean;
  /** the version looked up (the coding's, a forced one, the value set's, a default) */
  readonly version: string | undefined;
  /** the version came from the coding, a forced version or the value set, not a default */
  readonly stated: boolean;
  /** the version a `check-system-version` rule requires */
  readonly check: string | undefined;
  /** the code system at that version, when held */
  readonly cs: IndexedCodeSystem | undefined;
}

/** The coding once its code system is held. */
export interface CodeContext extends SystemContext {
  readonly cs: IndexedCodeSystem;
  /** the concept the code names, when the code system has it */
  readonly concept: IndexedConcept | undefined;
}

/** The coding once its concept is found: the rules of displays, status and membership. */
export interface ConceptContext extends CodeContext {
  readonly concept: IndexedConcept;
  /** the languages asked for displays in */
  readonly languages: readonly string[];
  /** the correct displays, in those languages where the concept has any */
  readonly displays: readonly string[];
  valid: boolean;
  membershipFailed: boolean;
  reason: string | undefined;
  undecided: Undecided | undefined;
}

interface RuleOf<Stage extends string, Context, Result> {
  /** a stable name, kebab-case */
  id: string;
  stage: Stage;
  /** what the rule checks, in a sentence */
  describe: string;
  applies(c: Context): boolean;
  /** adds its issues; an answer returned ends the coding's check with it */
  check(c: Context): Result;
}

/**
 * One rule of `$validate-code`, by the stage it runs in: `coding` before the system is known,
 * `system` once the code system version is looked up (held or not), `code` once the code system
 * is held, `concept` once the concept is found. A rule of the first three stages may end the check
 * with its answer (a code that cannot be looked further into); a `concept` rule only adds.
 */
export type CodingRule =
  | RuleOf<'coding', CodingContext, Checked | undefined>
  | RuleOf<'system', SystemContext, Checked | undefined>
  | RuleOf<'code', CodeContext, Checked | undefined>
  | RuleOf<'concept', ConceptContext, void>;

const STATUS_WORTH_NOTING: ReadonlySet<string> = new Set(['deprecated', 'withdrawn', 'retired']);

/** The standards-status extension, which marks a resource or a concept deprecated or withdrawn. */
export const STANDARDS_STATUS =
  'http://hl7.org/fhir/StructureDefinition/structuredefinition-standards-status';

/** The status a resource's users should hear of (withdrawn, deprecated, experimental, draft), if any. */
export function statusOf(r: {
  status?: string;
  experimental?: boolean;
  extension?: Extension[];
}): string | undefined {
  const standards = r.extension?.find((e) => e.url === STANDARDS_STATUS)?.valueCode;
  if (standards && STATUS_WORTH_NOTING.has(standards)) return standards;
  if (r.status === 'retired') return 'retired';
  if (r.experimental === true) return 'experimental';
  if (r.status === 'draft') return 'draft';
  return undefined;
}

/** A display as compared: surrounding blanks do not count. */
export function normal(s: string): string {
  return s.trim();
}
