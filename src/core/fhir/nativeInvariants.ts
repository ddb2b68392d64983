/**
 * Base-specification invariants that are not evaluated by their FHIRPath, each with where it is
 * checked instead or why it is not. Read by the digest builder (these keys are left out of the
 * digest's FHIRPath invariants), by the profile checker (a profile repeating one of them is the
 * base's) and by the coverage table (invariantCoverage.ts), so the three cannot drift apart.
 */

/** Invariants a layer checks in code, as the HL7 Java validator does: key → where, in plain words. */
export const NATIVE_INVARIANTS: Readonly<Record<string, string>> = {
  'ele-1': 'values layer: an element with neither a value nor children is an error (fhir-empty)',
  'ext-1': 'extensions layer: an extension with both a value and nested extensions, or neither',
  'per-1':
    'invariants layer, in code on every Period: start after end, or precisions that cannot be compared',
  'ref-1': 'references layer: a #id reference needs a contained resource with that id (fhir-reference-local)',
  'bdl-3':
    'references layer (bundle.ts): request only in batch/transaction/history Bundles, naming the entry',
  'bdl-4':
    'references layer (bundle.ts): response only in batch-response/transaction-response/history Bundles',
  'bdl-7': 'references layer (bundle.ts): each fullUrl once per Bundle, naming the repeated entry',
  'txt-1':
    'values layer: the narrative is one XHTML <div> without scripts, forms, embedded objects or event handlers',
  'txt-2': 'values layer: the narrative <div> has some text or an image',
  'dom-3':
    'invariants layer, in code on every resource with contained resources: each is referred to (a #id reference, canonical or uri, or a narrative link) or refers to its container (orphanContained.ts)',
};

/** Invariants left unchecked on purpose: key → why, in plain words (none today; the table stays for the next). */
export const UNCHECKED_INVARIANTS: Readonly<Record<string, string>> = {};

/** What each unchecked invariant requires, in the specification's words, and what it is defined on. */
export const UNCHECKED_TEXT: Readonly<Record<string, { on: string; human: string }>> = {};

/**
 * Keys of earlier FHIR versions that R4 removed and users still look for: key → what it said and
 * why it is not checked. Not R4 invariants, so the coverage table lists them apart, counted nowhere.
 */
export const NOT_IN_R4: Readonly<Record<string, string>> = {
  'dom-1':
    'up to STU3, a contained resource could not carry narrative; R4 removed the rule (contained resources can contain narrative, references.html#contained), so a contained resource with a text is valid and not reported',
};

/** Every base key the digest's FHIRPath invariants leave out. */
export const NOT_BY_FHIRPATH: ReadonlySet<string> = new Set([
  ...Object.keys(NATIVE_INVARIANTS),
  ...Object.keys(UNCHECKED_INVARIANTS),
]);
