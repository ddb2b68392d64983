/**
 * `CodeSystem/$lookup` over a held code system: a concept's name, version, display, definition,
 * designations (its own, the display as the preferred one in the code system's language, and
 * those of the supplements in force, each naming its source) and properties (its own, typed as
 * the code system declares them, with parent, child and inactive worked out from the hierarchy),
 * written as the Parameters resource a terminology server returns.
 */
import type { IndexedCodeSystem, IndexedConcept } from './store.ts';
import type { CodeSystem, Concept, Designation } from './types.ts';

/** The inputs of `$lookup`. */
export interface LookupRequest {
  system?: string;
  version?: string;
  code?: string;
  /** the properties asked for (`*` or none: all) */
  properties?: string[];
  /** code-system supplements whose designations are given (`url` or `url|version`) */
  useSupplements?: string[];
}

interface Parameter {
  name: string;
  [value: string]: unknown;
}

const PREFERRED_FOR_LANGUAGE = {
  system: 'http://terminology.hl7.org/CodeSystem/hl7TermMaintInfra',
  code: 'preferredForLanguage',
  display: 'Preferred For Language',
};

/** Reads a `$lookup` Parameters resource (or its list); throws on a parameter of the wrong type. */
export function lookupRequestFrom(parameters: { parameter?: Parameter[] } | Parameter[]): LookupRequest {
  const list = Array.isArray(parameters) ? parameters : (parameters.parameter ?? []);
  const req: LookupRequest = {};
  for (const p of list) {
    const value = Object.entries(p).find(([k]) => k.startsWith('value'))?.[1];
    const coding =
      p.name === 'coding' ? (value as { system?: string; code?: string; version?: string }) : undefined;
    if (coding) {
      if (coding.system !== undefined) req.system = coding.system;
      if (coding.code !== undefined) req.code = coding.code;
      if (coding.version !== undefined) req.version = coding.version;
      continue;
    }
    if (typeof value !== 'string') continue;
    if (p.name === 'system') req.system = value;
    else if (p.name === 'code') req.code = value;
    else if (p.name === 'version') req.version = value;
    else if (p.name === 'property') req.properties = [...(req.properties ?? []), value];
    else if (p.name === 'useSupplement') req.useSupplements = [...(req.useSupplements ?? []), value];
  }
  return req;
}

function findConcept(list: readonly Concept[] | undefined, code: string): Concept | undefined {
  for (const c of list ?? []) {
    if (c.code === code) return c;
    const below = findConcept(c.concept, code);
    if (below) return below;
  }
  return undefined;
}

function designationParam(d: Designation, source?: string): Parameter {
  const part: Parameter[] = [];
  if (d.language !== undefined) part.push({ name: 'language', valueCode: d.language });
  if (d.use !== undefined) part.push({ name: 'use', valueCoding: d.use });
  if (source !== undefined) part.push({ name: 'source', valueCanonical: source });
  part.push({ name: 'value', valueString: d.value });
  return { name: 'designation', part };
}

/** The answer to a lookup of a concept found in `cs`, with the supplements in force. */
export function lookupAnswer(
  cs: IndexedCodeSystem,
  concept: IndexedConcept,
  supplements: readonly CodeSystem[],
  wanted: readonly string[] | undefined,
): { resourceType: 'Parameters'; parameter: Parameter[] } {
  const all = !wanted?.length || wanted.includes('*');
  const asked = (name: string) => all || (wanted?.includes(name) ?? false);
  const raw = findConcept(cs.resource.concept, concept.code);
  const parameter: Parameter[] = [
    { name: 'code', valueCode: concept.code },
    { name: 'system', valueUri: cs.url },
    { name: 'abstract', valueBoolean: concept.abstract },
  ];
  if (cs.resource.name !== undefined) parameter.push({ name: 'name', valueString: cs.resource.name });
  if (cs.version !== undefined) parameter.push({ name: 'version', valueString: cs.version });
  if (concept.display !== undefined) parameter.push({ name: 'display', valueString: concept.display });
  if (raw?.definition !== undefined) parameter.push({ name: 'definition', valueString: raw.definition });
  if (concept.display !== undefined && cs.resource.language !== undefined)
    parameter.push(
      designationParam({
        language: cs.resource.language,
        use: PREFERRED_FOR_LANGUAGE,
        value: concept.display,
      }),
    );
  for (const d of raw?.designation ?? []) parameter.push(designationParam(d));
  for (const sup of supplements) {
    const source = `${sup.url}${sup.version ? `|${sup.version}` : ''}`;
    const own = findConcept(sup.concept, concept.code);
    for (const d of own?.designation ?? []) parameter.push(designationParam(d, source));
  }
  const property = (code: string, value: Record<string, unknown>) => {
    if (asked(code))
      parameter.push({
        name: 'property',
        part: [
          { name: 'code', valueCode: code },
          { name: 'value', ...value },
        ],
      });
  };
  const types = new Map((cs.resource.property ?? []).map((p) => [p.code, p.type]));
  for (const p of raw?.property ?? []) {
    const { code, ...value } = p;
    // the hierarchy gives parent and child below, once each
    if (code === 'parent' || code === 'child') continue;
    if (types.get(code) !== undefined || Object.keys(value).length === 1) property(code, value);
  }
  if (!raw?.property?.some((p) => p.code === 'inactive'))
    property('inactive', { valueBoolean: concept.inactive });
  for (const parent of concept.parents) property('parent', { valueCode: parent });
  for (const child of concept.children) property('child', { valueCode: child });
  for (const sup of supplements)
    parameter.push({
      name: 'used-supplement',
      valueCanonical: `${sup.url}${sup.version ? `|${sup.version}` : ''}`,
    });
  return { resourceType: 'Parameters', parameter };
}
