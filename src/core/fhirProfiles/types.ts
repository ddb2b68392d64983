/**
 * The parts of FHIR R4 conformance resources (StructureDefinition, ElementDefinition, ValueSet,
 * CodeSystem) that profile validation reads. Packages carry more; what is not named here is kept
 * as it came (`[key: string]: unknown`) and ignored.
 */

export interface ElementType {
  code: string;
  profile?: string[];
  targetProfile?: string[];
  [key: string]: unknown;
}

export interface Discriminator {
  type: 'value' | 'exists' | 'pattern' | 'type' | 'profile';
  path: string;
}

export interface Slicing {
  discriminator?: Discriminator[];
  ordered?: boolean;
  rules?: 'closed' | 'open' | 'openAtEnd';
  [key: string]: unknown;
}

export interface Constraint {
  key: string;
  severity: 'error' | 'warning';
  human: string;
  expression?: string;
  source?: string;
  [key: string]: unknown;
}

export interface ElementDefinition {
  id?: string;
  path: string;
  sliceName?: string;
  min?: number;
  max?: string;
  base?: { path: string; min: number; max: string };
  type?: ElementType[];
  slicing?: Slicing;
  contentReference?: string;
  constraint?: Constraint[];
  mustSupport?: boolean;
  binding?: { strength: string; valueSet?: string; [key: string]: unknown };
  /** fixed[x] and pattern[x] are read by prefix */
  [key: string]: unknown;
}

export interface StructureDefinition {
  resourceType: 'StructureDefinition';
  id?: string;
  url: string;
  version?: string;
  name?: string;
  type: string;
  kind: string;
  abstract?: boolean;
  derivation?: 'constraint' | 'specialization';
  baseDefinition?: string;
  context?: { type: string; expression: string }[];
  snapshot?: { element: ElementDefinition[] };
  differential?: { element: ElementDefinition[] };
  [key: string]: unknown;
}

export interface ValueSetInclude {
  system?: string;
  version?: string;
  concept?: { code: string; display?: string }[];
  filter?: { property: string; op: string; value: string }[];
  valueSet?: string[];
}

export interface ValueSet {
  resourceType: 'ValueSet';
  url: string;
  version?: string;
  name?: string;
  compose?: { include?: ValueSetInclude[]; exclude?: ValueSetInclude[] };
  /** `total`: how many codes the whole expansion has (more than `contains` holds: a page of it) */
  expansion?: { total?: number; contains?: ExpansionContains[] };
  [key: string]: unknown;
}

export interface ExpansionContains {
  system?: string;
  code?: string;
  contains?: ExpansionContains[];
}

export interface CodeSystemConcept {
  code: string;
  display?: string;
  designation?: { language?: string; value?: string }[];
  concept?: CodeSystemConcept[];
  [key: string]: unknown;
}

export interface CodeSystem {
  resourceType: 'CodeSystem';
  url: string;
  version?: string;
  name?: string;
  content?: string;
  /** false: codes match whatever their case */
  caseSensitive?: boolean;
  /** the code system a supplement adds properties to (it defines no codes of its own) */
  supplements?: string;
  concept?: CodeSystemConcept[];
  [key: string]: unknown;
}

export type ConformanceResource = StructureDefinition | ValueSet | CodeSystem;
