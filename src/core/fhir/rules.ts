/**
 * Every check of the FHIR R4 validator, declared as data: its id (public: reports
 * and project settings name it; extend, never rename), the layer that runs it, its
 * OperationOutcome severity and issue type code, and what it means in a data team's words. The
 * report, the docs and the tests iterate over this one table; the layers emit issues by id.
 */
import type { IssueSeverity } from '../../formats/report.ts';

/** The validation layers, in the order they run; each can be switched off. */
export const FHIR_LAYERS = [
  'json',
  'structure',
  'cardinality',
  'values',
  'extensions',
  'invariants',
  'bindings',
  'references',
] as const;

/** One validation layer. */
export type FhirLayer = (typeof FHIR_LAYERS)[number];

/** What each layer checks, in plain words (help text and docs). */
export const LAYER_DESCRIPTIONS: Record<FhirLayer, string> = {
  json: 'The file is JSON (or NDJSON, one resource per line) and each value is a FHIR resource.',
  structure:
    'Each resource matches the FHIR R4 JSON Schema of its own resource type: known elements, JSON types, lists, fixed codes, id and date formats.',
  cardinality: 'Required elements are present (a primitive may carry only extensions, as _status).',
  values:
    'Values are possible: whole numbers in range, real calendar dates, date-times with a time zone, no empty strings, lists or objects, one value per choice, valid base64, attachment sizes, narrative XHTML.',
  extensions:
    'Extensions have a URL without a version, a value of an allowed type, and are used where they are defined.',
  invariants:
    'The rules (invariants) of the base specification hold: a rule that cannot be shown true fails.',
  bindings:
    'Codes bound to a value set of the specification are in that value set (required: an error; extensible: a warning; preferred: information); codes and displays of code systems held are checked, others said not checked; UCUM units are valid; with packages loaded, codes meet the bindings of their profiles and are in the code systems the packages ship whole.',
  references:
    'References inside the export resolve, Bundles follow the rules of their type, and search parameters, profiles and measure reports agree with the definitions they name.',
};

/** OperationOutcome issue type codes used by the checks. */
export type FhirIssueCode =
  | 'invalid'
  | 'structure'
  | 'required'
  | 'value'
  | 'invariant'
  | 'code-invalid'
  | 'extension'
  | 'not-found'
  | 'multiple-matches'
  | 'too-long'
  | 'too-costly'
  | 'not-supported'
  | 'informational';

/** A check, as data. */
interface FhirRule {
  id: string;
  layer: FhirLayer;
  severity: IssueSeverity;
  code: FhirIssueCode;
  /** what the check means and what to do, for the report legend */
  describe: string;
}

const rule = (
  id: string,
  layer: FhirLayer,
  severity: IssueSeverity,
  code: FhirIssueCode,
  describe: string,
): FhirRule => ({ id, layer, severity, code, describe });

/** Every check, by layer order. */
export const FHIR_RULES: readonly FhirRule[] = [
  rule(
    'fhir-not-text',
    'json',
    'fatal',
    'structure',
    'The file holds a zero byte, which text never holds: it is a PDF, spreadsheet or other binary file, not FHIR JSON; the file is not checked, the rest of the run is.',
  ),
  rule(
    'fhir-not-utf8',
    'json',
    'fatal',
    'structure',
    'A byte of the file is not valid UTF-8, and FHIR JSON is always UTF-8: the file is not read past it, the rest of the run is.',
  ),
  rule(
    'fhir-json-syntax',
    'json',
    'fatal',
    'structure',
    'The text is not valid JSON; nothing in it can be checked until it is.',
  ),
  rule(
    'fhir-too-deep',
    'json',
    'fatal',
    'too-costly',
    'Objects and lists are nested deeper than any FHIR resource needs; the resource is not checked further, the rest of the run is.',
  ),
  rule(
    'fhir-json-too-long',
    'json',
    'fatal',
    'too-costly',
    'A text, a property name or an NDJSON line is longer than any FHIR resource needs; the resource is not read, the rest of the run is.',
  ),
  rule(
    'fhir-json-not-resource',
    'json',
    'error',
    'structure',
    'The JSON value is not a FHIR resource (an object with a resourceType).',
  ),
  rule(
    'fhir-unknown-resource-type',
    'structure',
    'error',
    'structure',
    'The resourceType is not a FHIR R4 resource type.',
  ),
  rule(
    'fhir-profile-claim-not-checked',
    'structure',
    'warning',
    'not-found',
    'The resource claims a profile (meta.profile) that no loaded package defines, so it is checked against the base FHIR R4 specification only, not against that profile: a warning, as the HL7 Java validator gives for a profile it cannot find.',
  ),
  rule(
    'fhir-profile-claim-unknown',
    'structure',
    'warning',
    'not-found',
    'The resource claims a profile under the canonical URL of a loaded package that the package does not define (a mistyped URL?): it is not checked against it.',
  ),
  rule(
    'fhir-unknown-element',
    'structure',
    'error',
    'structure',
    'The element is not defined for this resource or datatype in FHIR R4: remove it or carry it in an extension.',
  ),
  rule(
    'fhir-wrong-type',
    'structure',
    'error',
    'structure',
    'The JSON type is wrong (for example a number where FHIR expects a string, or one value where it expects a list).',
  ),
  rule(
    'fhir-invalid-format',
    'structure',
    'error',
    'value',
    'The value does not have the format of its FHIR type (id, date, dateTime, code, uri, …).',
  ),
  rule(
    'fhir-value-not-allowed',
    'structure',
    'error',
    'code-invalid',
    'The code is not one of the codes the specification fixes for this element.',
  ),
  rule('fhir-required', 'cardinality', 'error', 'required', 'A required element is missing.'),
  rule(
    'fhir-empty',
    'values',
    'error',
    'value',
    'An empty string, list or object is not a value in FHIR: leave the element out instead.',
  ),
  rule(
    'fhir-primitive-list-length',
    'values',
    'error',
    'structure',
    'A list of values and its list of ids and extensions (_name) differ in length; they pair item by item.',
  ),
  rule(
    'fhir-number-range',
    'values',
    'error',
    'value',
    'A whole number is not whole, or is outside the range of its type.',
  ),
  rule(
    'fhir-impossible-date',
    'values',
    'error',
    'value',
    'A date that does not exist on the calendar, or a date-time with a time but no time zone.',
  ),
  rule(
    'fhir-two-choice-values',
    'values',
    'error',
    'structure',
    'Two values were given for one choice element ([x]); only one is allowed.',
  ),
  rule(
    'fhir-too-long',
    'values',
    'error',
    'too-long',
    'The value is longer than FHIR allows (1 MB for a string).',
  ),
  rule('fhir-invalid-base64', 'values', 'error', 'value', 'The value is not valid base64.'),
  rule(
    'fhir-attachment-size',
    'values',
    'error',
    'value',
    'The stated attachment size does not match the size of its data.',
  ),
  rule('fhir-invalid-xhtml', 'values', 'error', 'value', 'The narrative is not the XHTML FHIR allows.'),
  rule(
    'fhir-extension-url',
    'extensions',
    'error',
    'extension',
    'An extension URL carries a version (|…); extension URLs must not.',
  ),
  rule(
    'fhir-unknown-extension',
    'extensions',
    'error',
    'extension',
    'The extension is not defined by the FHIR specification or the loaded packages; the target system will not know it.',
  ),
  rule(
    'fhir-extension-other-version',
    'extensions',
    'information',
    'extension',
    'An extension HL7 defines by rule for an element of another FHIR version (its URL names the version and the element): read as that element, which the R4 specification does not hold, so its value is not checked.',
  ),
  rule(
    'fhir-unknown-modifier-extension',
    'extensions',
    'error',
    'extension',
    'A modifier extension the FHIR specification and the loaded packages do not define (one at an example domain too, unless example URLs are allowed): it changes the meaning of the record, so it is always an error.',
  ),
  rule(
    'fhir-extension-value-type',
    'extensions',
    'error',
    'extension',
    'The extension has a value of a type its definition does not allow.',
  ),
  rule(
    'fhir-extension-context',
    'extensions',
    'error',
    'extension',
    'The extension is used on an element its definition does not allow.',
  ),
  rule(
    'fhir-invariant',
    'invariants',
    'error',
    'invariant',
    'A rule of the FHIR specification does not hold.',
  ),
  rule(
    'fhir-code-not-in-value-set',
    'bindings',
    'error',
    'code-invalid',
    'The code is not in the value set the specification requires for this element.',
  ),
  rule(
    'fhir-code-not-in-value-set-extensible',
    'bindings',
    'warning',
    'code-invalid',
    'None of the codes is in the value set an extensible binding of the specification names: a code from it should be used unless none fits (whether one fits is a judgement on meaning, as for the HL7 validator).',
  ),
  rule(
    'fhir-code-missing',
    'bindings',
    'error',
    'code-invalid',
    'A coded element (CodeableConcept) has no code, only text or nothing, where its binding requires a code from a value set (of the specification or a profile).',
  ),
  rule(
    'fhir-code-missing-extensible',
    'bindings',
    'warning',
    'code-invalid',
    'A coded element (CodeableConcept) has no code, only text or nothing, where an extensible binding names a value set: a code from it should be given unless none fits.',
  ),
  rule(
    'fhir-code-not-in-value-set-preferred',
    'bindings',
    'information',
    'code-invalid',
    'None of the codes is in the value set a preferred binding of the specification names: a code from it is recommended, not required.',
  ),
  rule(
    'fhir-code-binding-not-checked',
    'bindings',
    'information',
    'not-supported',
    'A code is not checked against the value set of its binding, which cannot be worked out offline: it is neither accepted nor refused.',
  ),
  rule(
    'fhir-code-display-wrong',
    'bindings',
    'error',
    'code-invalid',
    'The display of a coding is not one its code system gives for the code (in the language asked for), case and spacing aside: an error, as HL7 terminology servers give it; the code or the display text is wrong.',
  ),
  rule(
    'fhir-code-system-invalid',
    'bindings',
    'error',
    'code-invalid',
    "A coding's system names a loaded code-system supplement or value set, not a code system: give the code system itself.",
  ),
  rule(
    'fhir-code-review',
    'bindings',
    'warning',
    'code-invalid',
    'A code checked against a value set is valid but should be reviewed: the concept is inactive or deprecated, its display is no longer a correct one, or its code system is only a fragment.',
  ),
  rule(
    'fhir-unit-unknown',
    'bindings',
    'error',
    'code-invalid',
    'A quantity names UCUM (http://unitsofmeasure.org) as its unit system, but its unit code is not a valid UCUM expression.',
  ),
  rule(
    'fhir-reference-type',
    'references',
    'error',
    'structure',
    'The reference points to a resource type this element does not allow.',
  ),
  rule(
    'fhir-reference-local',
    'references',
    'error',
    'not-found',
    'A reference to a contained resource (#id) has no contained resource with that id.',
  ),
  rule(
    'fhir-definition-discriminator',
    'references',
    'error',
    'invalid',
    "A profile's slicing names a discriminator path its sliced element does not have, so it tells no value apart.",
  ),
  rule(
    'fhir-narrative-link',
    'references',
    'error',
    'not-found',
    'A link in the narrative (#name) points at nothing the resource defines (an id or an anchor).',
  ),
  rule(
    'fhir-reference-unresolved',
    'references',
    'error',
    'not-found',
    'A reference that must resolve inside the Bundle does not.',
  ),
  rule(
    'fhir-reference-ambiguous',
    'references',
    'error',
    'multiple-matches',
    'A reference matches more than one entry of the Bundle.',
  ),
  rule(
    'fhir-reference-not-in-export',
    'references',
    'warning',
    'not-found',
    'The referenced resource is not in the export; the target will need it already, or the reference will break.',
  ),
  rule(
    'fhir-questionnaire-answer',
    'values',
    'error',
    'invalid',
    'A QuestionnaireResponse does not fit its Questionnaire (in the same file, another file of the run, or a loaded package): an unknown or misplaced item, an answer of the wrong type, not among the options, outside the value set or the limits, several answers to an item that does not repeat, an answer to a disabled item, or a required item unanswered in a completed response.',
  ),
  rule(
    'fhir-questionnaire-not-checked',
    'values',
    'information',
    'not-supported',
    'A QuestionnaireResponse is not checked against its Questionnaire, which is in no file of the run and no loaded package, or its coded answers are not checked against value sets that are not loaded.',
  ),
  rule(
    'fhir-reference-conditional',
    'references',
    'warning',
    'not-found',
    'A conditional reference (Practitioner?identifier=…) is looked up by the server only inside a transaction Bundle; anywhere else it points at nothing: give the resource id.',
  ),
  rule(
    'fhir-bundle-full-url',
    'references',
    'error',
    'invalid',
    'A Bundle entry fullUrl must be an absolute URL (or urn:uuid / urn:oid) and unique in the Bundle.',
  ),
  rule(
    'fhir-bundle-request',
    'references',
    'error',
    'invalid',
    'Bundle entries carry a request (batch, transaction, history) or a response (their responses) only where the Bundle type calls for it.',
  ),
  rule(
    'fhir-bundle-link',
    'references',
    'error',
    'invalid',
    'A Bundle link relation (self, first, next, …) occurs more than once.',
  ),
  rule(
    'fhir-search-parameter-mismatch',
    'references',
    'error',
    'invalid',
    'A search parameter disagrees with the definition it names: a derived one changes the type or adds resource types, or a capability statement gives another type than the definition.',
  ),
  rule(
    'fhir-search-parameter-not-checked',
    'references',
    'information',
    'not-supported',
    "A search parameter is not checked against the definition it names (derivedFrom, or a capability statement's definition), which is not part of FHIR R4.",
  ),
  rule(
    'fhir-definition-path',
    'references',
    'error',
    'invalid',
    "A profile's differential names an element its type does not have (or an id naming another element than its path): that constraint applies to nothing.",
  ),
  rule(
    'fhir-measure-report',
    'references',
    'error',
    'invalid',
    "A measure report does not line up with its Measure: a group, population or stratifier without the Measure's code, missing or given twice, or a score the Measure's scoring does not call for.",
  ),
  rule(
    'fhir-measure-report-not-checked',
    'references',
    'information',
    'not-supported',
    "A measure report is not checked against its Measure, which is not contained in it, not in a loaded package and not found in the run's plain JSON files (NDJSON, zipped files and files over 16 MB are not searched).",
  ),
  // Profiles of loaded implementation guide packages (src/core/fhirProfiles): each runs in the
  // layer of the base check it narrows, so --skip switches both off.
  rule(
    'fhir-profile-cardinality',
    'cardinality',
    'error',
    'structure',
    'An element occurs fewer or more times than a profile the resource claims (meta.profile) allows.',
  ),
  rule(
    'fhir-profile-slice',
    'cardinality',
    'error',
    'structure',
    'A slice of a profile occurs fewer or more times than it allows, an element matches none of the slices of a closed slicing, or slices are out of their required order.',
  ),
  rule(
    'fhir-profile-type',
    'structure',
    'error',
    'structure',
    'A value has a type the profile does not allow at that element.',
  ),
  rule(
    'fhir-profile-value',
    'values',
    'error',
    'value',
    'A value differs from the fixed value or pattern the profile sets.',
  ),
  rule(
    'fhir-profile-extension',
    'extensions',
    'error',
    'extension',
    'An extension defined in a loaded package is used against its definition: its value type, the cardinality of its parts, or a modifier given as a regular extension (or the reverse).',
  ),
  rule(
    'fhir-profile-invariant',
    'invariants',
    'error',
    'invariant',
    'A rule (invariant) of a profile does not hold: a rule that cannot be shown true fails.',
  ),
  rule(
    'fhir-profile-invariant-warning',
    'invariants',
    'warning',
    'invariant',
    'A best-practice rule (warning invariant) of a profile does not hold.',
  ),
  rule(
    'fhir-profile-binding',
    'bindings',
    'error',
    'code-invalid',
    'A code is not in the value set a profile requires at that element.',
  ),
  rule(
    'fhir-profile-binding-extensible',
    'bindings',
    'warning',
    'code-invalid',
    'None of the codes is in the value set an extensible binding of a profile names: a code from it should be used unless none fits (whether one fits is a judgement on meaning, as for the HL7 validator).',
  ),
  rule(
    'fhir-profile-binding-preferred',
    'bindings',
    'information',
    'code-invalid',
    'None of the codes is in the value set a preferred binding of a profile names: a code from it is recommended, not required.',
  ),
  rule(
    'fhir-code-unknown',
    'bindings',
    'error',
    'code-invalid',
    'The code is not in its code system, which a loaded package ships whole (content complete): it is made up or misspelt.',
  ),
  rule(
    'fhir-profile-binding-unchecked',
    'bindings',
    'information',
    'not-supported',
    'A profile requires codes from a value set whose content is not in the loaded packages (or needs a terminology server): those codes are not checked.',
  ),
  rule(
    'fhir-profile-binding-value-set-broken',
    'bindings',
    'warning',
    'not-supported',
    'A profile binds an element to a value set its package ships broken (it includes itself, has a filter with no value, or names a supplement not loaded): the codes are not checked against it, and the package should be fixed or replaced.',
  ),
  rule(
    'fhir-profile-not-checked',
    'cardinality',
    'information',
    'not-supported',
    'Part of a profile cannot be checked offline with the loaded packages (a slice that names a profile that is not loaded, …); it is not checked.',
  ),
  rule(
    'fhir-profile-version',
    'cardinality',
    'warning',
    'informational',
    'The resource claims a version of a profile other than the one loaded; it was checked against the loaded version.',
  ),
  rule(
    'fhir-profile-must-support',
    'cardinality',
    'information',
    'informational',
    'An element the profile marks must-support is absent. Absence is allowed: a system conforming to the profile must be able to hold and show it when it is known.',
  ),
];

/** The rules by id. */
const FHIR_RULE_BY_ID: ReadonlyMap<string, FhirRule> = new Map(FHIR_RULES.map((r) => [r.id, r]));

/** The rule with this id; throws on an unknown id (a programming error). */
export function fhirRule(id: string): FhirRule {
  const found = FHIR_RULE_BY_ID.get(id);
  if (!found) throw new Error(`unknown FHIR rule ${id}`);
  return found;
}
