/**
 * The validation digest: what the deeper FHIR R4 layers need from the StructureDefinitions and
 * value sets of the specification, built at build time (src/core/fhir/build/digest.ts)
 * so a worker never indexes 37 MB of definitions at run time. Plain JSON: it travels as a file.
 */

/** One element of a type, keyed in {@link TypeDigest.elements} by its JSON property name. */
export interface ElementDigest {
  /** the type code: a primitive ("date"), a datatype ("HumanName"), "Resource", or a backbone path ("Patient.contact") */
  type: string;
  /** maximum cardinality; -1 for "*"; absent for 1 (minimums are in {@link TypeDigest.required}) */
  max?: number;
  /** for a choice element ("valueQuantity"), the group's base name ("value") */
  choice?: string;
  /** resource types a Reference or canonical may point to (absent: any) */
  targets?: string[];
  /** URL of the value set of a binding that the digest could expand (required unless {@link strength} says) */
  valueSet?: string;
  /** the strength of that binding (or of {@link boundValueSet}'s) when it is not required */
  strength?: 'extensible' | 'preferred';
  /**
   * For a CodeableConcept bound required or extensible to a value set of the specification that
   * the digest could not expand (SNOMED CT, UCUM, jurisdictions): that value set's URL, named in
   * {@link FhirDigest.boundValueSetNames}. Its codes are not checked, but a value with no code at
   * all still breaks the binding.
   */
  boundValueSet?: string;
}

/** A required element or choice group: at least `min` values must be present. */
export interface RequiredDigest {
  /** the JSON name, or the choice base ("medication" for medication[x]) */
  name: string;
  min: number;
  /** JSON names that satisfy it (several for a choice group) */
  names: string[];
  /** the element path for messages ("MedicationRequest.medication[x]") */
  path: string;
}

/** A type of the specification. */
export interface TypeDigest {
  kind: 'primitive' | 'complex' | 'resource' | 'backbone';
  elements: Record<string, ElementDigest>;
  required: RequiredDigest[];
}

/** An expanded value set: codes by code system. */
export interface ValueSetDigest {
  /** a readable name for messages ("AdministrativeGender") */
  name: string;
  systems: Record<string, string[]>;
  /**
   * Named by extensible or preferred bindings only. R4 ships older versions of the HL7
   * terminology's value sets than the ones guides are validated with (identifier-type without
   * US Core's `MB`), so the profile checker does not judge a guide's bindings by them.
   */
  weakerOnly?: true;
}

/**
 * A code system the specification ships whole, as the display check reads it: each code with its
 * display and designations (one string when there is one, a list when several, empty when none).
 */
export interface HeldCodeSystemDigest {
  /** a readable name for messages ("ConditionClinicalStatusCodes") */
  name: string;
  /** present (false) only when codes match whatever their case */
  caseSensitive?: false;
  concepts: Record<string, string | string[]>;
}

/** An extension defined by the specification. */
export interface ExtensionDigest {
  /** allowed `value[x]` types; empty for a complex extension (no value allowed) */
  valueTypes: string[];
  /** the value set a required binding on its value names (a key of `FhirDigest.valueSets`) */
  valueSet?: string;
  /**
   * A required or extensible binding on a CodeableConcept value: a value with no code breaks it,
   * whether or not the digest expands the value set ({@link valueSet} checks the codes)
   */
  codeableConceptBinding?: { valueSet: string; strength: 'required' | 'extensible' };
  /** element contexts ("HumanName.family", "Element"); absent when any context is not a plain path */
  contexts?: string[];
}

/** A search parameter of the specification, as a derived one or a server's statement must agree with it. */
export interface SearchParameterDigest {
  /** its type code ("token", "string", "date", …) */
  type: string;
  /** the resource types it applies to ("Resource" for every type) */
  base: string[];
}

/** An error-severity invariant (FHIRPath) of the base specification. */
export interface InvariantDigest {
  key: string;
  /** the specification's human text, shown to users */
  human: string;
  expression: string;
  /** the element path it applies to ("Questionnaire.item"); the resource type for resource-level ones */
  path: string;
}

/** Everything the digest-driven layers read. */
export interface FhirDigest {
  fhirVersion: string;
  resourceTypes: string[];
  types: Record<string, TypeDigest>;
  valueSets: Record<string, ValueSetDigest>;
  /**
   * The codes of each complete code system of the specification that a value set above takes
   * whole: a package's value set built from one of them (all codes but some) expands offline.
   */
  codeSystems?: Record<string, string[]>;
  /**
   * For those of {@link codeSystems} with a hierarchy, each child code's parent: a package's
   * `is-a` / `descendent-of` / `is-not-a` filter on one of them expands offline. A system absent
   * here is flat (every code its own root).
   */
  codeSystemParents?: Record<string, Record<string, string>>;
  /**
   * The code systems the value sets above take codes from that the specification ships whole, with
   * each code's displays: a coding of one of them has its code and display checked; a coding of
   * any other system is said not checked.
   */
  heldCodeSystems?: Record<string, HeldCodeSystemDigest>;
  extensions: Record<string, ExtensionDigest>;
  /** readable names of the value sets {@link ElementDigest.boundValueSet} names (not in {@link valueSets}) */
  boundValueSetNames?: Record<string, string>;
  /**
   * by resource type, and by datatype name for a datatype's own (`Quantity`, `Timing`: they apply
   * wherever the type is used, in every resource type)
   */
  invariants: Record<string, InvariantDigest[]>;
  /**
   * The search parameters of the specification by canonical URL: a SearchParameter derived from one
   * and a CapabilityStatement naming one as a definition are checked against it.
   */
  searchParameters?: Record<string, SearchParameterDigest>;
}

/** FHIR primitive type codes (R4). */
export const PRIMITIVE_TYPES: ReadonlySet<string> = new Set([
  'base64Binary',
  'boolean',
  'canonical',
  'code',
  'date',
  'dateTime',
  'decimal',
  'id',
  'instant',
  'integer',
  'markdown',
  'oid',
  'positiveInt',
  'string',
  'time',
  'unsignedInt',
  'uri',
  'url',
  'uuid',
  'xhtml',
]);
