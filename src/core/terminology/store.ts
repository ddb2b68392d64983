/**
 * The code systems and value sets a validation can use, held by canonical URL and version:
 * version resolution (an unversioned reference takes the latest version held; `1.x` and `1.0.x`
 * are wildcards), each code system's concepts indexed once (case-folded where the code system is
 * not case-sensitive), its hierarchy, and the supplements that add designations to it.
 */
import type { CodeSystem, Concept, Designation, ValueSet } from './types.ts';

/** A designation of a concept: its own, or one a supplement adds (named by the supplement's URL). */
export interface IndexedDesignation extends Designation {
  /** the supplement that adds it: it counts only where a value set or the request names that supplement */
  supplement?: string;
  /** a status that makes it no longer a correct display (`deprecated`, `withdrawn`, …) */
  status?: string;
}

/** One concept of a code system as the engine reads it. */
export interface IndexedConcept {
  code: string;
  display?: string;
  designations: IndexedDesignation[];
  parents: string[];
  children: string[];
  inactive: boolean;
  /** the status property (`retired`, `deprecated`, `withdrawn`, …) where there is one */
  status?: string;
  abstract: boolean;
  properties: Map<string, string[]>;
}

export interface IndexedCodeSystem {
  resource: CodeSystem;
  url: string;
  version?: string;
  caseSensitive: boolean;
  concepts: Map<string, IndexedConcept>;
  /** case-folded code → the code as the code system spells it (only when not case-sensitive) */
  folded?: Map<string, string>;
  /** the concept of a code, case-folded where the code system allows it */
  find(code: string): IndexedConcept | undefined;
}

/** Compares two versions: numeric parts numerically, the rest as text; negative when `a` is older. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/);
  const pb = b.split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '';
    const y = pb[i] ?? '';
    if (x === y) continue;
    const nx = Number(x);
    const ny = Number(y);
    if (x !== '' && y !== '' && Number.isFinite(nx) && Number.isFinite(ny)) return nx - ny;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** Whether a held version answers a wanted one (`1.x` / `1.0.x` / `1.*` are wildcards). */
export function versionMatches(wanted: string, held: string | undefined): boolean {
  if (held === undefined) return false;
  if (wanted === held) return true;
  const w = wanted.split('.');
  const h = held.split('.');
  if (!w.some((p) => p === 'x' || p === '*' || p === 'X')) return false;
  for (let i = 0; i < w.length; i++) {
    if (w[i] === 'x' || w[i] === '*' || w[i] === 'X') continue;
    if (w[i] !== h[i]) return false;
  }
  return h.length >= w.length;
}

/** Splits `url|version`. */
export function splitCanonical(canonical: string): { url: string; version?: string } {
  const bar = canonical.indexOf('|');
  return bar < 0 ? { url: canonical } : { url: canonical.slice(0, bar), version: canonical.slice(bar + 1) };
}

const INACTIVE_STATUSES: ReadonlySet<string> = new Set(['retired', 'inactive', 'withdrawn']);
const STANDARDS_STATUS = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-standards-status';

/** The standards-statuses that take an element out of use. */
const OUT_OF_USE: ReadonlySet<string> = new Set(['deprecated', 'withdrawn']);

/** The standards-status an element's extensions give it, when it takes the element out of use. */
function standardsStatus(extensions: Concept['extension']): string | undefined {
  const status = extensions?.find((e) => e.url === STANDARDS_STATUS)?.valueCode;
  return status !== undefined && OUT_OF_USE.has(status) ? status : undefined;
}

function designationOf(d: Designation, supplement?: string): IndexedDesignation {
  const status = standardsStatus(d.extension);
  return {
    ...d,
    ...(supplement === undefined ? {} : { supplement }),
    ...(status === undefined ? {} : { status }),
  };
}

function propertyText(p: NonNullable<Concept['property']>[number]): string | undefined {
  if (p.valueCode !== undefined) return p.valueCode;
  if (p.valueString !== undefined) return p.valueString;
  if (p.valueBoolean !== undefined) return String(p.valueBoolean);
  if (p.valueCoding?.code !== undefined) return p.valueCoding.code;
  if (p.valueInteger !== undefined) return String(p.valueInteger);
  if (p.valueDecimal !== undefined) return String(p.valueDecimal);
  if (p.valueDateTime !== undefined) return p.valueDateTime;
  return undefined;
}

function indexCodeSystem(cs: CodeSystem, supplements: readonly CodeSystem[]): IndexedCodeSystem {
  const concepts = new Map<string, IndexedConcept>();
  const visit = (list: readonly Concept[] | undefined, parent: string | undefined) => {
    for (const c of list ?? []) {
      let entry = concepts.get(c.code);
      if (!entry) {
        const properties = new Map<string, string[]>();
        for (const p of c.property ?? []) {
          const text = propertyText(p);
          if (text === undefined) continue;
          const list = properties.get(p.code) ?? [];
          list.push(text);
          properties.set(p.code, list);
        }
        const status = properties.get('status')?.[0] ?? standardsStatus(c.extension);
        entry = {
          code: c.code,
          display: c.display,
          designations: (c.designation ?? []).map((d) => designationOf(d)),
          parents: [],
          children: [],
          status,
          inactive:
            properties.get('inactive')?.[0] === 'true' ||
            (status !== undefined && INACTIVE_STATUSES.has(status)),
          abstract:
            properties.get('notSelectable')?.[0] === 'true' || properties.get('abstract')?.[0] === 'true',
          properties,
        };
        concepts.set(c.code, entry);
      }
      if (parent !== undefined) {
        entry.parents.push(parent);
        concepts.get(parent)?.children.push(c.code);
      }
      visit(c.concept, c.code);
    }
  };
  visit(cs.concept, undefined);
  // parents named by property (a flat code system with `parent` / `subsumedBy`)
  for (const entry of concepts.values()) {
    for (const name of ['parent', 'subsumedBy']) {
      for (const p of entry.properties.get(name) ?? []) {
        if (!entry.parents.includes(p)) {
          entry.parents.push(p);
          concepts.get(p)?.children.push(entry.code);
        }
      }
    }
  }
  for (const sup of supplements) {
    const add = (list: readonly Concept[] | undefined) => {
      for (const c of list ?? []) {
        const entry = concepts.get(c.code);
        if (entry) {
          entry.designations.push(...(c.designation ?? []).map((d) => designationOf(d, sup.url)));
          if (c.display && sup.language)
            entry.designations.push({ language: sup.language, value: c.display, supplement: sup.url });
        }
        add(c.concept);
      }
    };
    add(sup.concept);
  }
  const caseSensitive = cs.caseSensitive !== false;
  let folded: Map<string, string> | undefined;
  if (!caseSensitive) {
    folded = new Map();
    for (const code of concepts.keys())
      if (!folded.has(code.toLowerCase())) folded.set(code.toLowerCase(), code);
  }
  return {
    resource: cs,
    url: cs.url,
    version: cs.version,
    caseSensitive,
    concepts,
    folded,
    find(code) {
      const exact = concepts.get(code);
      if (exact || !folded) return exact;
      const spelled = folded.get(code.toLowerCase());
      return spelled === undefined ? undefined : concepts.get(spelled);
    },
  };
}

/** The terminology resources held, by canonical URL. */
export interface TerminologyStore {
  /** a code system's version: the one named (wildcards allowed), else the latest held */
  codeSystem(url: string, version?: string): IndexedCodeSystem | undefined;
  /** every version held of a code system, oldest first */
  codeSystemVersions(url: string): (string | undefined)[];
  valueSet(url: string, version?: string): ValueSet | undefined;
  valueSetVersions(url: string): (string | undefined)[];
  /** a code-system supplement (`content: supplement`) by its own URL and version */
  supplement(url: string, version?: string): CodeSystem | undefined;
}

function byVersion<T extends { version?: string }>(list: T[]): T[] {
  return list.sort((a, b) => compareVersions(a.version ?? '', b.version ?? ''));
}

function pick<T extends { version?: string }>(
  list: readonly T[] | undefined,
  version?: string,
): T | undefined {
  if (!list?.length) return undefined;
  if (version === undefined) return list[list.length - 1];
  for (let i = list.length - 1; i >= 0; i--) {
    const item = list[i] as T;
    if (item.version === version || versionMatches(version, item.version)) return item;
  }
  return undefined;
}

/**
 * A store over resources (code systems, value sets and code-system supplements; anything else is
 * ignored). A supplement's designations are indexed with the code systems it names (each version
 * when it does not name one), marked with the supplement's URL: the validator counts them only
 * where a value set or the request names the supplement, as FHIR has it.
 */
export function createTerminologyStore(resources: readonly unknown[]): TerminologyStore {
  const codeSystems = new Map<string, CodeSystem[]>();
  const supplements: CodeSystem[] = [];
  const supplementsByUrl = new Map<string, CodeSystem[]>();
  const valueSets = new Map<string, ValueSet[]>();
  for (const r of resources) {
    if (typeof r !== 'object' || r === null) continue;
    const res = r as { resourceType?: unknown; url?: unknown };
    if (typeof res.url !== 'string') continue;
    if (res.resourceType === 'CodeSystem') {
      const cs = r as CodeSystem;
      if (cs.supplements || cs.content === 'supplement') {
        supplements.push(cs);
        supplementsByUrl.set(cs.url, [...(supplementsByUrl.get(cs.url) ?? []), cs]);
      } else codeSystems.set(cs.url, [...(codeSystems.get(cs.url) ?? []), cs]);
    } else if (res.resourceType === 'ValueSet') {
      const vs = r as ValueSet;
      valueSets.set(vs.url, [...(valueSets.get(vs.url) ?? []), vs]);
    }
  }
  for (const list of codeSystems.values()) byVersion(list);
  for (const list of valueSets.values()) byVersion(list);
  for (const list of supplementsByUrl.values()) byVersion(list);
  const indexed = new Map<CodeSystem, IndexedCodeSystem>();
  const index = (cs: CodeSystem): IndexedCodeSystem => {
    let known = indexed.get(cs);
    if (!known) {
      const own = supplements.filter((s) => {
        const target = splitCanonical(s.supplements ?? '');
        return target.url === cs.url && (target.version === undefined || target.version === cs.version);
      });
      known = indexCodeSystem(cs, own);
      indexed.set(cs, known);
    }
    return known;
  };
  return {
    codeSystem(url, version) {
      const cs = pick(codeSystems.get(url), version);
      return cs ? index(cs) : undefined;
    },
    codeSystemVersions: (url) => (codeSystems.get(url) ?? []).map((c) => c.version),
    valueSet: (url, version) => pick(valueSets.get(url), version),
    valueSetVersions: (url) => (valueSets.get(url) ?? []).map((v) => v.version),
    supplement: (url, version) => pick(supplementsByUrl.get(url), version),
  };
}
