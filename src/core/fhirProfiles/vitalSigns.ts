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

const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';

/**
 * Which codes call for which profile, in the order the HL7 Java validator tries them: the first
 * rule one of the Observation's codings meets decides, and one profile applies. The LOINC rules
 * come first, then SNOMED CT's; each holds the vital sign's own code and the narrower codes the
 * Java validator counts as that vital sign (an oral temperature is a body temperature).
 */
export const VITAL_SIGNS_RULES: readonly { system: string; profile: string; codes: ReadonlySet<string> }[] = [
  [LOINC, 'vitalspanel', '85353-1'],
  [LOINC, 'resprate', '9279-1 76170-0 76172-6 76171-8 19840-8 33438-3 76270-8 11291-2'],
  [
    LOINC,
    'heartrate',
    '60978-4 73795-7 73799-9 76476-1 76477-9 8867-4 8889-8 8890-6 8891-4 8892-2 8893-0 40443-4 55425-3 68999-2 11328-2 69000-8 8886-4',
  ],
  [LOINC, 'oxygensat', '2708-6 19224-5 20564-1 2709-4 2710-2 2713-6 51733-4 59408-5 59417-6 89276-0 97549-0'],
  [
    LOINC,
    'bodytemp',
    '8310-5 60834-9 60835-6 60836-4 60838-0 60955-2 61009-7 75539-7 75987-8 76010-8 76011-6 76278-1 8309-7 8328-7 8329-5 8330-3 8331-1 8332-9 8333-7 8334-5 91371-5 98657-0 98663-8',
  ],
  [LOINC, 'bodyheight', '8302-2 3137-7 3138-5 8306-3 8308-9'],
  [LOINC, 'headcircum', '9843-4 8287-5'],
  [LOINC, 'bodyweight', '29463-7 3141-9 3142-7 75292-3 79348-9 8350-1 8351-9'],
  [LOINC, 'bmi', '39156-5 59574-4 89270-3'],
  [LOINC, 'bp', '85354-9 35094-2 8459-0 76534-7 55284-4 8480-6'],
  [SNOMED, 'vitalspanel', '46680005'],
  [SNOMED, 'bp', '86290005 271625008 271306003'],
  [SNOMED, 'heartrate', '271306003 249043002 444981005 399017001 251670001 429525003 429614003'],
  [SNOMED, 'oxygensat', '103228002 442349007 442476006 442440005 431314004 442734002 713194001'],
  [
    SNOMED,
    'bodytemp',
    '386725007 276885007 300076005 1222808002 364246006 307047009 708499008 431598003 698831002 698832009 415882003 415974002 415929009 415945006',
  ],
  [SNOMED, 'bodyheight', '1153637007 1162419008 50373000 1162418000 1230278008 1162392001 1162417005'],
  [SNOMED, 'headcircum', '363812007 169876006 1269262007 363811000'],
  [SNOMED, 'bodyweight', '363811000 60621009 735395000 425024002 424927000 784399000 1162416001 1162415002'],
  [SNOMED, 'bmi', '60621009'],
  [
    SNOMED,
    'bp',
    '75367002 251076008 163033001 163035008 386534000 386536003 271649006 271650006 407556006 407554009 716579001 399304008',
  ],
].map(([system, id, codes]) => ({
  system: system as string,
  profile: `${BASE}${id}`,
  codes: new Set((codes as string).split(' ')),
}));

/** The profiles generated into the build: those the rules name and the one they all derive from. */
const VITAL_SIGNS_PROFILES = new Set([...VITAL_SIGNS_RULES.map((r) => r.profile), `${BASE}vitalsigns`]);

/**
 * The vital-signs profile an Observation's `code` calls for (none for another resource), as a
 * list: empty, or the one profile of the first rule a coding meets.
 */
export function vitalSignsProfilesOf(resource: Record<string, unknown>): string[] {
  if (resource.resourceType !== 'Observation') return [];
  const code = resource.code;
  if (typeof code !== 'object' || code === null) return [];
  const codings = (code as Record<string, unknown>).coding;
  if (!Array.isArray(codings)) return [];
  for (const rule of VITAL_SIGNS_RULES)
    for (const coding of codings) {
      if (typeof coding !== 'object' || coding === null) continue;
      const { system, code: value } = coding as Record<string, unknown>;
      if (system === rule.system && typeof value === 'string' && rule.codes.has(value)) return [rule.profile];
    }
  return [];
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
    out.binding = valueSet === undefined ? { strength } : { strength: erratum(element, strength), valueSet };
  }
  return out as ElementDefinition;
}

/**
 * R4 published the units of a vital sign's component as a required binding by mistake; the Java
 * validator corrects it to extensible on loading, and so does the build (a component in `L/min`
 * is a warning there, not an error).
 */
function erratum(element: ElementDefinition, strength: string): string {
  const componentUnits =
    element.path === 'Observation.component.value[x]' &&
    element.binding?.valueSet === 'http://hl7.org/fhir/ValueSet/ucum-vitals-common|4.0.1';
  return componentUnits ? 'extensible' : strength;
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
    // the value sets of the bindings R4 publishes as required (the erratum's included)
    for (const e of sd.snapshot?.element ?? [])
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
