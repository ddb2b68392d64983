/**
 * The rules of `$validate-code` for one coding, in one table that the engine runs, the docs list
 * and the tests iterate. A rule says what it checks and when it applies; the engine works out
 * what each stage knows (the system, then the code system version that applies, then the concept)
 * and runs that stage's rules in the order listed. The order is the order of the issues a
 * terminology server gives, and a rule that ends the check (a code system not held, an unknown
 * code) stops the rules after it, so it is part of the behaviour HL7's suite scores.
 */
import { versionFor } from '../membership.ts';
import { compareVersions } from '../store.ts';
import type { ValueSet } from '../types.ts';
import {
  codeSystemStatus,
  fragmentUnknownCode,
  inferredUnknownCode,
  systemVersionRule,
  unknownCode,
} from './code.ts';
import {
  caseDiffers,
  deprecatedConcept,
  displayLanguage,
  displayOutOfUse,
  displaysOf,
  inactiveConcept,
  languagesOf,
  wrongDisplay,
} from './displays.ts';
import {
  codeSystemNotHeld,
  inferSystem,
  noSystem,
  supplementAsSystem,
  systemNotUri,
  valueSetAsSystem,
} from './system.ts';
import type {
  Checked,
  CodeContext,
  CodingContext,
  CodingEngine,
  CodingRule,
  ConceptContext,
  Located,
  SystemContext,
  Working,
} from './types.ts';
import { abstractCode, deprecatedInValueSet, valueSetMembership } from './valueSet.ts';

export type { Checked, CodingEngine, CodingRule, Located, Working } from './types.ts';

/** Every rule of a coding's check, by stage, in the order run. */
export const CODING_RULES: readonly CodingRule[] = [
  inferSystem,
  noSystem,
  supplementAsSystem,
  valueSetAsSystem,
  systemNotUri,
  codeSystemNotHeld,
  codeSystemStatus,
  systemVersionRule,
  fragmentUnknownCode,
  inferredUnknownCode,
  unknownCode,
  caseDiffers,
  displayLanguage,
  inactiveConcept,
  deprecatedConcept,
  displayOutOfUse,
  wrongDisplay,
  deprecatedInValueSet,
  valueSetMembership,
  abstractCode,
];

type Stage = CodingRule['stage'];
type ContextOf<S extends Stage> = Parameters<Extract<CodingRule, { stage: S }>['check']>[0];

/** Runs one stage's rules in order; the answer of the first that ends the check, if any. */
function runStage<S extends Stage>(stage: S, c: ContextOf<S>): Checked | undefined {
  for (const rule of CODING_RULES) {
    if (rule.stage !== stage) continue;
    const r = rule as Extract<CodingRule, { stage: S }>;
    if (!r.applies(c as never)) continue;
    const answer = r.check(c as never);
    if (answer) return answer;
  }
  return undefined;
}

/**
 * The code system version that applies to a coding with a system: the coding's own, a forced one,
 * the one the value set includes (or the candidate tried), else a default.
 */
function withSystem(c: CodingContext, system: string, candidate: string | undefined): SystemContext {
  const { req, vs, coding } = c;
  const explicit = coding.version !== undefined;
  const forced = versionFor(req.forceSystemVersions, system);
  if (forced !== undefined && !explicit) coding.version = forced;
  let version = coding.version ?? candidate;
  if (version === undefined && vs) {
    const named = (vs.compose?.include ?? [])
      .filter((p) => p.system === system && p.version !== undefined)
      .map((p) => p.version as string);
    if (named.length === 1) version = named[0];
    if (forced !== undefined && named.length) version = forced;
  }
  const stated = version !== undefined;
  version ??= versionFor(req.defaultSystemVersions, system);
  const check = versionFor(req.checkSystemVersions, system);
  const cs = c.engine.store.codeSystem(system, version);
  return Object.assign(c, { system, explicit, version, stated, check, cs });
}

/** The concept stage's context: the displays that count, and the coding valid so far. */
function withConcept(c: CodeContext, concept: NonNullable<CodeContext['concept']>): ConceptContext {
  const languages = languagesOf(c.req.displayLanguage);
  const displays = displaysOf(c.cs, concept, languages, c.req.supplementsInForce);
  c.out.display = displays[0] ?? concept.display;
  if (concept.status !== undefined) c.out.status = concept.status;
  const valid = c.issues.every((i) => i.severity !== 'error');
  return Object.assign(c, {
    concept,
    languages,
    displays,
    valid,
    membershipFailed: false,
    reason: undefined,
    undecided: undefined,
  });
}

/** The versions of the coding's system a value set includes, latest first. */
function includedVersions(vs: ValueSet, system: string): string[] {
  const named = (vs.compose?.include ?? [])
    .filter((p) => p.system === system && p.version !== undefined)
    .map((p) => p.version as string);
  return [...new Set(named)].sort((a, b) => compareVersions(b, a));
}

/**
 * Checks one coding: the code in its code system, its display, its membership. A value set that
 * includes several versions of the code's system, the code given without one: the code is good
 * when it is good in any of them (the latest answers otherwise).
 */
export function checkCoding(
  engine: CodingEngine,
  at: Located,
  req: Working,
  vs: ValueSet | undefined,
  vsName: string,
  candidate?: string,
): Checked {
  if (candidate === undefined && at.coding.version === undefined && vs && at.coding.system) {
    const named = includedVersions(vs, at.coding.system);
    if (named.length > 1) {
      const tries = named.map((v) => checkCoding(engine, at, req, vs, vsName, v));
      return tries.find((t) => t.valid) ?? (tries[0] as Checked);
    }
  }
  const coding = { ...at.coding };
  if (coding.system === undefined && req.codeSystem) coding.system = req.codeSystem;
  const code = coding.code ?? '';
  const c: CodingContext = {
    engine,
    at,
    req,
    vs,
    vsName,
    coding,
    code,
    issues: [],
    out: {},
    inferred: false,
  };
  const early = runStage('coding', c);
  if (early) return early;
  const system = coding.system as string;
  c.out.code = code;
  c.out.system = system;
  const s = withSystem(c, system, candidate);
  const unheld = runStage('system', s);
  if (unheld) return unheld;
  if (!s.cs) throw new Error(`the rules of the system stage let a code system that is not held through`);
  if (s.cs.version !== undefined) c.out.version = s.cs.version;
  const k: CodeContext = Object.assign(s, { cs: s.cs, concept: s.cs.find(code) });
  const unknown = runStage('code', k);
  if (unknown) return unknown;
  if (!k.concept) throw new Error(`the rules of the code stage let an unknown code through`);
  const x = withConcept(k, k.concept);
  runStage('concept', x);
  const { valid, issues, out, membershipFailed, reason, undecided } = x;
  return { valid, issues, out, membershipFailed, reason, ...(undecided === undefined ? {} : { undecided }) };
}
