/** The FHIR resources and the `$validate-code` shapes the terminology engine works on. */

export interface Coding {
  system?: string;
  version?: string;
  code?: string;
  display?: string;
}

export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}

export interface ConceptProperty {
  code: string;
  valueCode?: string;
  valueString?: string;
  valueBoolean?: boolean;
  valueCoding?: Coding;
  valueInteger?: number;
  valueDateTime?: string;
  valueDecimal?: number;
}

export interface Designation {
  language?: string;
  use?: Coding;
  value: string;
  /** a standards-status extension marks a designation no longer correct (deprecated, withdrawn) */
  extension?: Extension[];
}

export interface Concept {
  code: string;
  display?: string;
  definition?: string;
  designation?: Designation[];
  property?: ConceptProperty[];
  /** a standards-status extension gives the concept's status where no property does */
  extension?: Extension[];
  concept?: Concept[];
}

export interface Extension {
  url: string;
  valueCode?: string;
  valueBoolean?: boolean;
  valueString?: string;
  valueCanonical?: string;
  valueUri?: string;
  extension?: Extension[];
}

export interface CodeSystem {
  resourceType: 'CodeSystem';
  extension?: Extension[];
  experimental?: boolean;
  url: string;
  version?: string;
  name?: string;
  language?: string;
  status?: string;
  caseSensitive?: boolean;
  content?: string;
  supplements?: string;
  hierarchyMeaning?: string;
  property?: { code: string; uri?: string; type?: string }[];
  concept?: Concept[];
}

export interface Filter {
  property: string;
  op: string;
  /** absent in a broken value set (a filter with only an extension in its place) */
  value?: string;
}

export interface ComposePart {
  system?: string;
  version?: string;
  concept?: { code: string; display?: string; designation?: Designation[]; extension?: Extension[] }[];
  filter?: Filter[];
  valueSet?: string[];
}

export interface ValueSet {
  resourceType: 'ValueSet';
  extension?: Extension[];
  experimental?: boolean;
  url: string;
  version?: string;
  name?: string;
  status?: string;
  id?: string;
  /** the language the value set is written in: displays are expected in it */
  language?: string;
  contained?: unknown[];
  compose?: {
    /** expansion parameters the value set fixes (a display language, …) */
    extension?: Extension[];
    inactive?: boolean;
    include?: ComposePart[];
    exclude?: ComposePart[];
  };
  expansion?: { contains?: ExpansionItem[] };
}

export interface ExpansionItem {
  system?: string;
  version?: string;
  code?: string;
  display?: string;
  inactive?: boolean;
  abstract?: boolean;
  contains?: ExpansionItem[];
}

/** The kinds of issue a terminology server reports (HL7's tx-issue-type code system). */
export type TxIssueType =
  | 'not-in-vs'
  | 'this-code-not-in-vs'
  | 'invalid-code'
  | 'invalid-display'
  | 'display-comment'
  | 'not-found'
  | 'vs-invalid'
  | 'version-error'
  | 'code-rule'
  | 'code-comment'
  | 'status-check'
  | 'cannot-infer'
  | 'process-note'
  | 'invalid-data';

export interface TxIssue {
  severity: 'error' | 'warning' | 'information';
  /** the OperationOutcome issue code (`code-invalid`, `not-found`, `business-rule`, …) */
  code: string;
  type: TxIssueType;
  text: string;
  /** where in the input: `code`, `Coding.code`, `CodeableConcept.coding[1].display`, … */
  expression?: string;
}

/** The inputs of `$validate-code`, against a value set or (no `valueSet`) a code system. */
export interface ValidateCodeRequest {
  /** the value set's canonical (`url` or `url|version`); absent for a code system's own check */
  valueSet?: string;
  valueSetVersion?: string;
  /** a value set given whole (a contained or not yet published one) instead of by canonical */
  valueSetResource?: ValueSet;
  /** the code system's canonical for a code system's own check (`CodeSystem/$validate-code`) */
  codeSystem?: string;
  code?: string;
  system?: string;
  systemVersion?: string;
  display?: string;
  coding?: Coding;
  codeableConcept?: CodeableConcept;
  /** the language displays are expected in (a BCP-47 tag or an Accept-Language list) */
  displayLanguage?: string;
  /** an abstract (not selectable) code is acceptable */
  abstract?: boolean;
  /** only active codes are members */
  activeOnly?: boolean;
  /** only membership of the value set is checked, not the codes' validity or displays */
  membershipOnly?: boolean;
  /** a wrong display is a warning, not an error */
  lenientDisplay?: boolean;
  /** the system is inferred from the value set when the input has none */
  inferSystem?: boolean;
  /** version rules for code systems: a default, a forced one, one to check (`url|version`) */
  defaultSystemVersions?: string[];
  forceSystemVersions?: string[];
  checkSystemVersions?: string[];
  /** a value set's version to use when one includes another without a version */
  defaultValueSetVersions?: string[];
  /**
   * code-system supplements whose designations count as displays (`url` or `url|version`), besides
   * those the value set names; a supplement not held refuses the request
   */
  useSupplements?: string[];
}

export interface ValidateCodeResult {
  result: boolean;
  message?: string;
  code?: string;
  system?: string;
  version?: string;
  display?: string;
  inactive?: boolean;
  /** the concept's status where it has one (`retired`, `deprecated`, …) */
  status?: string;
  normalizedCode?: string;
  issues: TxIssue[];
  /**
   * Set when the result is false only because membership could not be worked out offline (a code
   * system the value set includes is not held, a filter the engine does not know): why. A caller
   * checking data says the code was not checked rather than wrong.
   */
  undecided?: {
    why: string;
    /** the value set lists the code (by its code system and code), though the code itself is not checked */
    inValueSet: boolean;
  };
  /**
   * Set when a CodeableConcept's result is false though one of its codings is in the value set
   * with no error but its display's (another coding has an error: a code system not held). A
   * server's answer is false then; a binding on a resource is met, as the HL7 Java validator judges
   * it, and the wrong display is an error of its own. Not a parameter of the answer.
   */
  codingInValueSet?: true;
}

/** A value set that cannot be read as written: which one, and what is wrong with it. */
export interface BrokenValueSet {
  /** the canonical (or `#id` of a contained one) of the value set at fault */
  url: string;
  /** what is wrong, as words that follow its name: `includes itself (A → B → A)`, … */
  problem: string;
  /** whether membership can still be told without it (a supplement adds displays, not codes) */
  membershipKnown: boolean;
}

/** A request the engine cannot answer at all (an unknown value set, a bad request). */
export class TerminologyError extends Error {
  constructor(
    message: string,
    readonly type: TxIssueType,
    /** set when the refusal is a value set's fault (broken as written), not the request's */
    readonly brokenValueSet?: BrokenValueSet,
  ) {
    super(message);
    this.name = 'TerminologyError';
  }
}
