/**
 * Every Coding and every UCUM Quantity a resource holds, wherever it sits: a coding of a code
 * system (or supplement) a loaded package holds, or of one the specification ships whole (in the
 * digest), is judged by the terminology engine (a package's through the profile hook), with the
 * severities of HL7's terminology suite (a wrong display an error, a concept to review a warning,
 * a supplement given as the system an error); a display that differs only by case or spacing
 * passes, as the HL7 Java validator lets it (the US Core, IPS and Synthea exports hold such
 * variants); a code R4's version of a code system lacks is said not checked; a coding of a
 * code system nobody holds (SNOMED CT, LOINC, a local system) is counted per system, and the run
 * says once per system that its codes and displays were not checked. A UCUM unit code is parsed
 * by the UCUM library, loaded only when a resource first holds one; the library's own messages
 * quote the code, so only its verdict is used.
 *
 * Constraint: messages name the code and the displays the code system gives (terminology, not
 * record content); the display a record gives travels as the issue's value, so a redacted report
 * drops it.
 */
import type { FhirDigest, HeldCodeSystemDigest } from './digest.ts';
import type { IssueSink } from './issues.ts';
import { specCodeSystemAnswer } from './specTerminology.ts';

/** UCUM's canonical URL, as Quantity.system names it. */
export const UCUM = 'http://unitsofmeasure.org';

/** A code as a held code system knows it: the code system's name and the code's displays. */
export interface HeldConcept {
  /** the code system's name for messages ("ConditionClinicalStatusCodes") */
  name: string;
  /** the code's display and designations; empty when the code system gives none */
  displays: readonly string[];
}

/**
 * Code systems held beyond the specification's (a loaded package's, through the profile hook).
 * `lookup` answers undefined when the system is not held, null when it is but lacks the code.
 */
export interface HeldCodes {
  lookup(system: string, code: string): HeldConcept | null | undefined;
  /**
   * The terminology engine's `$validate-code` of a coding against its code system, for a system a
   * loaded package holds (a code system or a supplement); undefined for any other system.
   */
  validate(coding: Record<string, unknown>): EngineAnswer | undefined;
}

/** What the check of every coding reads of the terminology engine's answer. */
export interface EngineAnswer {
  issues: readonly { severity: string; type: string; text: string; expression?: string | undefined }[];
}

/** Whether a unit code is a valid UCUM expression (parsed by the UCUM library). */
export type UnitChecker = (code: string) => boolean;

/** Thrown when a resource holds a UCUM unit before the UCUM library is loaded; the session loads it and retries. */
export class MissingUnitsError extends Error {
  override name = 'MissingUnitsError';
  constructor() {
    super('the UCUM unit checker is not loaded');
  }
}

/** What the coding checks need from the validation of one resource. */
export interface CodingHost {
  digest: FhirDigest;
  sink: IssueSink;
  /** code systems a loaded package holds (asked before the specification's) */
  heldCodes?: HeldCodes | undefined;
  /** the UCUM checker once loaded; undefined before (then {@link MissingUnitsError}) */
  units?: (() => UnitChecker | undefined) | undefined;
}

const folded = new WeakMap<HeldCodeSystemDigest, Map<string, string>>();

/** The digest's concept of a code, found whatever its case where the code system says case does not matter. */
function digestConcept(cs: HeldCodeSystemDigest, code: string): string | string[] | undefined {
  const own = Object.hasOwn(cs.concepts, code) ? cs.concepts[code] : undefined;
  if (own !== undefined || cs.caseSensitive !== false) return own;
  let byFolded = folded.get(cs);
  if (!byFolded) {
    byFolded = new Map(Object.keys(cs.concepts).map((c) => [c.toLowerCase(), c]));
    folded.set(cs, byFolded);
  }
  const spelt = byFolded.get(code.toLowerCase());
  return spelt === undefined ? undefined : cs.concepts[spelt];
}

/** A code as the specification's code systems know it (see {@link HeldCodes.lookup}). */
function lookupCode(host: CodingHost, system: string, code: string): HeldConcept | null | undefined {
  const cs = host.digest.heldCodeSystems?.[system];
  if (!cs) return undefined;
  const concept = digestConcept(cs, code);
  if (concept === undefined) return null;
  return { name: cs.name, displays: typeof concept === 'string' ? [concept] : concept };
}

/**
 * Whether a display given is one the code system gives, as the HL7 Java validator judges a
 * resource's coding: whatever the case and the spacing ("unknown" for "Unknown" is no warning
 * there, as the US Core examples show).
 */
function sameDisplay(expected: string, given: string): boolean {
  const fold = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();
  return fold(expected) === fold(given);
}

/** The displays as a list for a message: `"Active"` or `"Active" or "Current"`. */
function displaysText(displays: readonly string[]): string {
  return displays.map((d) => `"${d}"`).join(' or ');
}

/** The warnings of the engine a coding's user should review: an inactive or deprecated concept, a display out of use, a code a fragment lacks. */
const REVIEW_TYPES: ReadonlySet<string> = new Set(['code-comment', 'invalid-code']);

/**
 * A coding as the terminology engine judges it against its code system, with the severities
 * HL7's terminology suite gives: a wrong display an error (unless it differs only by case or
 * spacing, which the Java validator lets pass), a concept to review a warning, a supplement or a
 * value set given as the system an error. An unknown code is the code check's (fhir-code-unknown).
 */
function reportAnswer(
  host: CodingHost,
  answer: EngineAnswer,
  node: Record<string, unknown>,
  location: string,
): void {
  const at = (expression: string | undefined) => {
    const part =
      expression === undefined ? undefined : /\.(display|code|system|version)$/.exec(expression)?.[1];
    return part === undefined ? location : `${location}.${part}`;
  };
  const { system, code } = node as { system: string; code: string };
  const concept = () => host.heldCodes?.lookup(system, code) ?? lookupCode(host, system, code);
  for (const issue of answer.issues) {
    if (issue.type === 'invalid-display' && issue.severity === 'error') {
      const given = typeof node.display === 'string' ? node.display : '';
      const held = concept();
      const known = held?.displays ?? [];
      // an empty display is its own error (fhir-empty), the root cause
      if (known.some((d) => sameDisplay(d, given)) || host.sink.hasErrorAt(at(issue.expression))) continue;
      const expected = known.length > 0 ? `: expected ${displaysText(known)}` : '';
      // the engine's words quote the record's display: the issue's value carries it instead
      host.sink.report(
        'fhir-code-display-wrong',
        at(issue.expression),
        `The display is not one the code system ${held?.name ? `${held.name} (${system})` : system} gives for the code ${code}${expected}`,
        node.display,
      );
    } else if (issue.severity === 'warning' && issue.type === 'display-comment')
      host.sink.report(
        'fhir-code-review',
        at(issue.expression),
        `The display is one the code system ${system} no longer gives for the code ${code}: review it`,
        node.display,
      );
    else if (issue.severity === 'warning' && REVIEW_TYPES.has(issue.type))
      host.sink.report('fhir-code-review', at(issue.expression), issue.text);
    else if (issue.severity === 'error' && issue.type === 'invalid-data')
      host.sink.report('fhir-code-system-invalid', at(issue.expression), issue.text, node.system);
  }
}

/** Checks one Coding (see the file comment). */
export function checkCoding(host: CodingHost, node: Record<string, unknown>, location: string): void {
  const { system, code } = node;
  if (typeof system !== 'string' || typeof code !== 'string' || system === '') return;
  const packaged = host.heldCodes?.validate(node);
  if (packaged) {
    reportAnswer(host, packaged, node, location);
    return;
  }
  // a code a loaded package's code system lacks is an error of its own (fhir-code-unknown)
  if (host.heldCodes?.lookup(system, code) !== undefined) return;
  const concept = lookupCode(host, system, code);
  if (concept === undefined) {
    host.sink.noteUnchecked(system, 'system');
    return;
  }
  if (concept === null) {
    // a code FHIR R4's version of the code system lacks (a later version may add it): a required
    // binding judges it; its display cannot be checked
    host.sink.noteUnchecked(system, 'code');
    return;
  }
  const answer = specCodeSystemAnswer(host.digest, node);
  if (answer) reportAnswer(host, answer, node, location);
}

/** Checks a Quantity's UCUM unit code (see the file comment). */
export function checkQuantityUnit(host: CodingHost, node: Record<string, unknown>, location: string): void {
  if (node.system !== UCUM || typeof node.code !== 'string') return;
  if (!host.units) {
    // no UCUM library can be loaded here: the unit is said not checked, never passed silently
    host.sink.noteUnchecked(UCUM, 'system');
    return;
  }
  const units = host.units();
  if (!units) throw new MissingUnitsError();
  if (units(node.code)) return;
  const at = `${location}.code`;
  if (host.sink.hasErrorAt(at)) return;
  host.sink.report(
    'fhir-unit-unknown',
    at,
    `The unit code is not a valid UCUM unit: use the UCUM code of the unit (such as mg, kg/m2, mm[Hg]), or name another unit system`,
    node.code,
  );
}
