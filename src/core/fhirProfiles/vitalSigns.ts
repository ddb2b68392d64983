/**
 * The vital-signs profiles of the R4 specification, applied by an Observation's code. R4 says "If
 * an Observation has a LOINC code for a vital sign, it SHALL conform to the vital signs profile",
 * and the HL7 Java validator applies them so, with or without any guide loaded: a body temperature
 * in a unit other than `Cel` or `[degF]`, a blood pressure without its components, is an error.
 *
 * The profiles come with Preflight (generated at build from the same R4 definitions as the base
 * validator: src/cli/generateFhir.ts → `vitalsigns.js`) and are checked by the profile checker
 * like any loaded profile: the registry knows them after the packages' own definitions.
 */
import type { ElementDefinition, StructureDefinition, ValueSet } from './types.ts';

const BASE = 'http://hl7.org/fhir/StructureDefinition/';

/** The LOINC code of each vital sign → its profile (R4's vital-signs table; components left out). */
export const VITAL_SIGNS_BY_CODE: ReadonlyMap<string, string> = new Map([
  ['85353-1', `${BASE}vitalspanel`],
  ['9279-1', `${BASE}resprate`],
  ['8867-4', `${BASE}heartrate`],
  ['2708-6', `${BASE}oxygensat`],
  ['8310-5', `${BASE}bodytemp`],
  ['8302-2', `${BASE}bodyheight`],
  ['9843-4', `${BASE}headcircum`],
  ['29463-7', `${BASE}bodyweight`],
  ['39156-5', `${BASE}bmi`],
  ['85354-9', `${BASE}bp`],
]);

/** The profiles generated into the build: the ten by code and the one they all derive from. */
const VITAL_SIGNS_PROFILES = new Set([...VITAL_SIGNS_BY_CODE.values(), `${BASE}vitalsigns`]);

const LOINC = 'http://loinc.org';

/**
 * The vital-signs profiles an Observation's `code` calls for (none for another resource), in the
 * order its codings name them.
 */
export function vitalSignsProfilesOf(resource: Record<string, unknown>): string[] {
  if (resource.resourceType !== 'Observation') return [];
  const code = resource.code;
  if (typeof code !== 'object' || code === null) return [];
  const codings = (code as Record<string, unknown>).coding;
  if (!Array.isArray(codings)) return [];
  const out: string[] = [];
  for (const coding of codings) {
    if (typeof coding !== 'object' || coding === null) continue;
    const { system, code: value } = coding as Record<string, unknown>;
    const url = system === LOINC && typeof value === 'string' ? VITAL_SIGNS_BY_CODE.get(value) : undefined;
    if (url !== undefined && !out.includes(url)) out.push(url);
  }
  return out;
}

/** What an element's documentation holds: not read by the checker, left out of the build. */
const DOCUMENTATION = new Set([
  'short',
  'definition',
  'comment',
  'requirements',
  'alias',
  'mapping',
  'meaningWhenMissing',
  'isModifierReason',
  'example',
]);

function slim(element: ElementDefinition, own: ReadonlySet<string>): ElementDefinition {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(element)) if (!DOCUMENTATION.has(key)) out[key] = value;
  // a constraint of a base type is the base layers' (the checker skips it): only the profiles' own stay
  const constraints = (element.constraint ?? []).filter(
    (c) => !c.source || own.has(c.source.split('|')[0] as string),
  );
  if (constraints.length > 0)
    out.constraint = constraints.map(({ key, severity, human, expression, source }) => ({
      key,
      severity,
      human,
      ...(expression === undefined ? {} : { expression }),
      ...(source === undefined ? {} : { source }),
    }));
  else delete out.constraint;
  if (element.binding) {
    const { strength, valueSet } = element.binding;
    out.binding = valueSet === undefined ? { strength } : { strength, valueSet };
  }
  return out as ElementDefinition;
}

/** R4's vital-signs profiles and the value sets their required bindings name, as generated. */
export interface VitalSignsDefinitions {
  structureDefinitions: StructureDefinition[];
  valueSets: ValueSet[];
}

/**
 * The vital-signs StructureDefinitions from a bundle of R4 definitions (`profiles-others.json`),
 * their snapshots without documentation or the base types' constraints (vs-1…vs-3 are the
 * profiles' own), and the value sets (from `valuesets.json`) their required bindings name.
 */
export function vitalSignsDefinitions(
  profiles: { entry?: { resource?: unknown }[] },
  valueSets: { entry?: { resource?: unknown }[] },
): VitalSignsDefinitions {
  const structureDefinitions: StructureDefinition[] = [];
  const bound = new Set<string>();
  for (const entry of profiles.entry ?? []) {
    const sd = entry.resource as StructureDefinition | undefined;
    if (sd?.resourceType !== 'StructureDefinition' || !VITAL_SIGNS_PROFILES.has(sd.url)) continue;
    const { text: _text, mapping: _mapping, differential: _differential, ...kept } = sd;
    const element = (sd.snapshot?.element ?? []).map((e) => slim(e, VITAL_SIGNS_PROFILES));
    for (const e of element)
      if (e.binding?.strength === 'required' && e.binding.valueSet)
        bound.add(e.binding.valueSet.split('|')[0] as string);
    structureDefinitions.push({ ...kept, snapshot: { element } });
  }
  const sets = (valueSets.entry ?? [])
    .map((e) => e.resource as ValueSet | undefined)
    .filter((v): v is ValueSet => v?.resourceType === 'ValueSet' && bound.has(v.url))
    .map(({ text: _text, ...kept }) => kept as ValueSet);
  structureDefinitions.sort((a, b) => a.url.localeCompare(b.url));
  return { structureDefinitions, valueSets: sets };
}
