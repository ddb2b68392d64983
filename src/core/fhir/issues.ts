/**
 * Issues found in FHIR resources, and the per-resource context the layers report through.
 *
 * Constraint: `message` never holds a value from the resource — only element names,
 * types, allowed codes and formats from the specification. The offending value, when there is
 * one, travels separately in `value` so a report can show it as an example or drop it (redacted).
 */
import type { IssueSeverity } from '../../formats/report.ts';
import { type FhirIssueCode, type FhirLayer, fhirRule } from './rules.ts';

/** One defect in one resource. */
export interface FhirIssue {
  /** rule id from {@link FHIR_RULES} */
  rule: string;
  severity: IssueSeverity;
  code: FhirIssueCode;
  /** FHIRPath-style location: `Patient.name[0].family`, `Bundle.entry[57].resource.status` */
  location: string;
  /** what is wrong and what is allowed, in plain words; never a value */
  message: string;
  /** the offending value (primitive values only), for examples; redactable */
  value?: string;
  /** 1-based line and column, for JSON syntax errors */
  line?: number;
  column?: number;
  /**
   * the issue of the same resource this one follows from ({@link issueKey} of an issue reported
   * before it): a profile's slice that no value matches because the only candidate breaks the
   * slice's profile, a reference whose target breaks its target profile, the same defect found
   * again through a second profile. A report folds it under that root cause.
   */
  causedBy?: string;
  /** the profile (`url|version`, or its url) whose check found it, for a profile's issue */
  profile?: string;
  /**
   * for a binding that was not checked: the code system of each code it leaves unchecked (`''`
   * for a code without one), which a run counts per code system
   */
  uncheckedCodes?: string[];
}

/** The key an issue is named by in another's {@link FhirIssue.causedBy}: its rule, location and message. */
export function issueKey(issue: Pick<FhirIssue, 'rule' | 'location' | 'message'>): string {
  return `${issue.rule}|${issue.location}|${issue.message}`;
}

/**
 * The root cause of an issue that follows from another of the same record (`causedBy`, followed
 * to its end); undefined for a root cause, or when the issue named is not among the record's
 * (`byKey`: the record's issues by {@link issueKey}).
 */
export function rootCauseOf(issue: FhirIssue, byKey: ReadonlyMap<string, FhirIssue>): FhirIssue | undefined {
  let root: FhirIssue | undefined;
  let next = issue.causedBy;
  // a chain is as long as the profiles nest; the bound only guards against a cycle
  for (let step = 0; next !== undefined && step < 64; step++) {
    const found = byKey.get(next);
    if (!found || found === issue) break;
    root = found;
    next = found.causedBy;
  }
  return root;
}

/**
 * An issue of `ruleId` made directly, with the rule's own severity and code: for the checks that
 * stand before any layer (a resource that cannot be read or walked), which no layer switch silences.
 */
export function fhirIssue(ruleId: string, location: string, message: string): FhirIssue {
  const rule = fhirRule(ruleId);
  return { rule: rule.id, severity: rule.severity, code: rule.code, location, message };
}

/** Codings of one code system whose code and display were not checked, by why. */
export interface CodingsNotChecked {
  /** the code system is held by neither the specification nor a loaded package */
  system: number;
  /** the code system is held, but not with this code (a later version may have it) */
  code: number;
}

/** Collects the issues of one resource (and its nested resources) without duplicates. */
export class IssueSink {
  readonly issues: FhirIssue[] = [];
  /** per code system, the codings not checked (made on the first: most resources have none) */
  codingsNotChecked: Map<string, CodingsNotChecked> | undefined;
  /** locations that already hold an error: later layers do not pile a second one on them */
  private errorAt: Set<string> | undefined;
  /** dedupe keys of issues already reported (both made on the first issue: most resources have none) */
  private keys: Set<string> | undefined;

  /**
   * @param severities severities that replace a rule's own (by rule id): a validation option such
   *   as `FhirValidatorOptions.unknownExtensions` (validator.ts); rules not named keep theirs
   */
  constructor(
    readonly layers: ReadonlySet<FhirLayer>,
    private readonly severities?: ReadonlyMap<string, IssueSeverity>,
  ) {}

  /** True when some layer already reported an error at exactly this location. */
  hasErrorAt(location: string): boolean {
    return this.errorAt?.has(location) ?? false;
  }

  /**
   * Reports an issue of `ruleId` unless its layer is off or an issue with the same dedupe key
   * (default: rule and location) was reported already.
   */
  report(
    ruleId: string,
    location: string,
    message: string,
    value?: unknown,
    key?: string,
    causedBy?: string,
  ): FhirIssue | undefined {
    const rule = fhirRule(ruleId);
    if (!this.layers.has(rule.layer)) return undefined;
    const dedupe = key ?? `${ruleId}|${location}`;
    this.keys ??= new Set();
    if (this.keys.has(dedupe)) return undefined;
    this.keys.add(dedupe);
    const severity = this.severities?.get(rule.id) ?? rule.severity;
    if (severity === 'error' || severity === 'fatal') {
      this.errorAt ??= new Set();
      this.errorAt.add(location);
    }
    const issue: FhirIssue = { rule: rule.id, severity, code: rule.code, location, message };
    const shown = exampleValue(value);
    if (shown !== undefined) issue.value = shown;
    if (causedBy !== undefined) issue.causedBy = causedBy;
    this.issues.push(issue);
    return issue;
  }

  /** Counts a coding whose code and display were not checked (see {@link CodingsNotChecked}). */
  noteUnchecked(system: string, why: keyof CodingsNotChecked): void {
    if (!this.layers.has('bindings')) return;
    this.codingsNotChecked ??= new Map();
    let counts = this.codingsNotChecked.get(system);
    if (!counts) {
      counts = { system: 0, code: 0 };
      this.codingsNotChecked.set(system, counts);
    }
    counts[why]++;
  }

  /** Whether an issue with this dedupe key was reported (or claimed) already. */
  hasKey(key: string): boolean {
    return this.keys?.has(key) ?? false;
  }

  /**
   * Takes back a warning or information of `ruleId` at `location` that a later, more specific
   * check answers (a profile's binding accepting a code the specification's weaker binding
   * flagged); an error is never taken back. The key stays claimed, so it is not reported again.
   */
  withdraw(ruleId: string, location: string): void {
    if (!this.keys?.has(`${ruleId}|${location}`)) return;
    const at = this.issues.findIndex(
      (i) => i.rule === ruleId && i.location === location && i.severity !== 'error' && i.severity !== 'fatal',
    );
    if (at >= 0) this.issues.splice(at, 1);
  }

  /** Marks a dedupe key as reported without reporting (another rule already covers it). */
  claim(key: string): void {
    this.keys ??= new Set();
    this.keys.add(key);
  }
}

/** Longest example value kept (a 1 MB string is an example of "too long", not worth keeping whole). */
export const MAX_EXAMPLE_CHARS = 200;

/** A primitive value as example text; undefined for objects and lists (too much content to keep). */
function exampleValue(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value.length > MAX_EXAMPLE_CHARS ? `${value.slice(0, MAX_EXAMPLE_CHARS)}…` : value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  return undefined;
}
