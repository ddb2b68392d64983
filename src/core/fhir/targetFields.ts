/**
 * An R4 resource type as a mapping target, read from the validation digest (digest.ts): the
 * fields a mapping editor can offer, and what a mapping leaves out or gets wrong — the FHIR
 * counterparts of `listTargetFields` / `checkTargetCoverage` (mapping/targetSchema.ts), without
 * the 3.5 MB JSON Schema. Pure; the caller loads the digest (`generatedModules.digest()`, its own
 * chunk: ~80 kB gzip), in a worker or on demand.
 *
 * Paths use the mapping's syntax: `name[].family` ("each item") in listings, concrete positions
 * (`component[0].code`) in coverage. Choice elements are listed by their JSON names
 * (`valueQuantity`, `deceasedBoolean`); a required choice group left empty is `value[x]`.
 */
import type { Mapping } from '../../formats/mapping.ts';
import {
  MAX_LISTED_FIELDS,
  parseTargetPath,
  type TargetCoverage,
  type TargetField,
} from '../mapping/index.ts';
import type { ElementDigest, FhirDigest, TypeDigest } from './digest.ts';

/** How deep {@link listFhirTargetFields} goes below the resource (`contact[].name.given[]` is 2). */
const DEFAULT_FHIR_FIELD_DEPTH = 3;

/** Codes listed in a field's description when its required value set is this small. */
const MAX_CODES_SHOWN = 12;

/**
 * Elements never offered: extensions need a URL and a value set together (map them by path if
 * needed), contained resources are resources of their own, and element ids below the resource
 * are internal to FHIR JSON.
 */
const NOT_OFFERED = new Set(['extension', 'modifierExtension', 'contained']);

/** The R4 resource types a mapping may target, sorted. */
export function fhirResourceTypes(digest: FhirDigest): string[] {
  return [...digest.resourceTypes].sort();
}

function isList(max: number | undefined): boolean {
  return max !== undefined && (max === -1 || max > 1);
}

function describeElement(
  digest: FhirDigest,
  type: string,
  valueSet: string | undefined,
  strength: ElementDigest['strength'],
): string {
  const set = valueSet ? digest.valueSets[valueSet] : undefined;
  if (set) {
    // a weaker binding only recommends its codes: say so, or "one of" reads as a rule
    const how =
      strength === 'extensible' ? ' (unless none fits)' : strength === 'preferred' ? ' (recommended)' : '';
    const codes = Object.values(set.systems).flat();
    if (codes.length <= MAX_CODES_SHOWN) return `${type}, one of${how}: ${codes.join(', ')}`;
    return `${type} from the value set ${set.name}${how}`;
  }
  return type;
}

function descends(digest: FhirDigest, type: string): TypeDigest | undefined {
  const found = digest.types[type];
  return found && (found.kind === 'complex' || found.kind === 'backbone') ? found : undefined;
}

/**
 * The fields of `resourceType` a mapping can fill, depth-first in the specification's order, down
 * to `maxDepth` levels below the resource and at most `MAX_LISTED_FIELDS` (then `truncated`).
 * Empty for a name that is not an R4 resource type.
 */
export function listFhirTargetFields(
  digest: FhirDigest,
  resourceType: string,
  maxDepth = DEFAULT_FHIR_FIELD_DEPTH,
): { fields: TargetField[]; truncated: boolean } {
  const fields: TargetField[] = [];
  let truncated = false;
  const root = digest.resourceTypes.includes(resourceType) ? digest.types[resourceType] : undefined;
  const visit = (type: TypeDigest, path: string, depth: number) => {
    for (const [name, element] of Object.entries(type.elements)) {
      if (NOT_OFFERED.has(name) || (name === 'id' && depth > 0)) continue;
      if (fields.length >= MAX_LISTED_FIELDS) {
        truncated = true;
        return;
      }
      const fieldPath = `${path === '' ? '' : `${path}.`}${name}${isList(element.max) ? '[]' : ''}`;
      const required = type.required.some((r) => r.min > 0 && r.names.length === 1 && r.names[0] === name);
      fields.push({
        path: fieldPath,
        required,
        type: element.type,
        description: describeElement(digest, element.type, element.valueSet, element.strength),
      });
      const inner = descends(digest, element.type);
      if (inner && depth < maxDepth) visit(inner, fieldPath, depth + 1);
    }
  };
  if (root) visit(root, '', 0);
  return { fields, truncated };
}

/**
 * What a mapping to an R4 resource type leaves out or gets wrong: required elements no field
 * fills — of the resource, and of every element the mapping does fill (`component[0].code`) — and
 * targets that are not elements of R4 at that place (an unknown name, a position on a single
 * element, a list used without a position, a path inside a primitive). Every target is
 * undeclared when the mapping's target is not an R4 resource type.
 */
export function checkFhirTargetCoverage(
  mapping: Pick<Mapping, 'fields' | 'target'>,
  digest: FhirDigest,
): TargetCoverage {
  const coverage: TargetCoverage = { unmappedRequired: [], undeclaredTargets: [] };
  const targets = mapping.fields.map((f) => f.target);
  const resourceType = mapping.target.type === 'fhir' ? mapping.target.resourceType : undefined;
  const root =
    resourceType && digest.resourceTypes.includes(resourceType) ? digest.types[resourceType] : undefined;
  if (!root) {
    coverage.undeclaredTargets.push(...targets);
    return coverage;
  }
  /** filled groups (concrete path → their type), the resource itself as "" */
  const groups = new Map<string, TypeDigest>([['', root]]);
  for (const target of targets) {
    const segments = parseTargetPath(target);
    if (typeof segments === 'string') {
      coverage.undeclaredTargets.push(target);
      continue;
    }
    let type: TypeDigest | undefined = root;
    let path = '';
    let ok = true;
    for (let i = 0; i < segments.length && ok; i++) {
      const segment = segments[i] as (typeof segments)[number];
      if (segment.kind !== 'property' || !type) {
        ok = false;
        break;
      }
      const element: TypeDigest['elements'][string] | undefined = type.elements[segment.name];
      if (!element) {
        ok = false;
        break;
      }
      path = path === '' ? segment.name : `${path}.${segment.name}`;
      const next = segments[i + 1];
      if (isList(element.max)) {
        if (next?.kind !== 'index') {
          ok = false;
          break;
        }
        path += `[${next.index}]`;
        i++;
      } else if (next?.kind === 'index') {
        ok = false;
        break;
      }
      const last = i === segments.length - 1;
      type = descends(digest, element.type);
      if (!last) {
        if (!type) ok = false;
        else groups.set(path, type);
      }
    }
    if (!ok) coverage.undeclaredTargets.push(target);
  }
  for (const [group, type] of groups) {
    for (const required of type.required) {
      if (required.min < 1) continue;
      const filled = required.names.some((name) =>
        targets.some((t) => {
          const full = group === '' ? name : `${group}.${name}`;
          return t === full || t.startsWith(`${full}.`) || t.startsWith(`${full}[`);
        }),
      );
      if (filled) continue;
      const name = required.names.length > 1 ? `${required.name}[x]` : required.name;
      coverage.unmappedRequired.push(group === '' ? name : `${group}.${name}`);
    }
  }
  return coverage;
}
