/**
 * The specification's own terminology as resources the terminology engine reads: each code
 * system the digest holds whole (codes, displays, designations) and each value set of a binding
 * it expanded (its codes as an enumerated include). Offline `$validate-code` over base R4 needs
 * nothing else; a package's own code systems and value sets are added beside these.
 */
import {
  type CodeSystem,
  type Coding,
  createTerminologyStore,
  createValidator,
  TerminologyError,
  type ValidateCodeResult,
  type ValueSet,
} from '../terminology/index.ts';
import { type BindingCheck, createBindingCheck } from './bindingVerdict.ts';
import type { FhirDigest } from './digest.ts';

/** Answers kept per digest before the cache starts again (an export repeats few codings). */
const MAX_ANSWERS = 10_000;

interface SpecEngine {
  validate: ReturnType<typeof createValidator>;
  answers: Map<string, ValidateCodeResult | undefined>;
  /** the binding check over the same engine, made on first use */
  bindings?: BindingCheck;
}

const engines = new WeakMap<FhirDigest, SpecEngine>();

/** The engine over the specification's terminology, built once per digest (about 30 ms). */
function specEngine(digest: FhirDigest): SpecEngine {
  let engine = engines.get(digest);
  if (!engine) {
    engine = {
      validate: createValidator(createTerminologyStore(specTerminology(digest))),
      answers: new Map(),
    };
    engines.set(digest, engine);
  }
  return engine;
}

/**
 * The one binding check (bindingVerdict.ts) over the specification's terminology, for the
 * bindings of the specification the base walk judges: its answers kept per digest. Displays are
 * left out of the question (the check of every coding judges them), so an answer is kept per value
 * set, code system and code.
 */
export function specBindingCheck(digest: FhirDigest): BindingCheck {
  const engine = specEngine(digest);
  if (!engine.bindings) {
    const held = digest.heldCodeSystems ?? {};
    engine.bindings = createBindingCheck({
      validate: engine.validate,
      systemOfCode: (valueSet, code) => {
        const systems = digest.valueSets[valueSet.split('|')[0] as string]?.systems ?? {};
        return Object.keys(systems).find((system) => systems[system]?.includes(code));
      },
      unversioned: (system) => Object.hasOwn(held, system),
      withDisplay: false,
    });
  }
  return engine.bindings;
}

/**
 * `$validate-code` of a coding against a code system the specification ships (the digest holds
 * it whole), by the terminology engine over the specification's terminology: the check HL7's
 * terminology suite scores, so a wrong display is an error there as it is for a package's code
 * system. Undefined when the engine refuses the request (its words may quote the record).
 */
export function specCodeSystemAnswer(
  digest: FhirDigest,
  coding: Record<string, unknown>,
): ValidateCodeResult | undefined {
  const engine = specEngine(digest);
  // the digest keeps no code system's version: a coding's version is not judged, its code and
  // display are judged against R4's version of the code system (as the digest's check did)
  const { version: _version, ...unversioned } = coding;
  const key = JSON.stringify(unversioned);
  if (engine.answers.has(key)) return engine.answers.get(key);
  let answer: ValidateCodeResult | undefined;
  try {
    answer = engine.validate({ codeSystem: String(coding.system), coding: unversioned as Coding });
  } catch (error) {
    if (!(error instanceof TerminologyError)) throw error;
  }
  if (engine.answers.size >= MAX_ANSWERS) engine.answers.clear();
  engine.answers.set(key, answer);
  return answer;
}

/** The digest's code systems and value sets as CodeSystem and ValueSet resources. */
export function specTerminology(digest: FhirDigest): (CodeSystem | ValueSet)[] {
  const out: (CodeSystem | ValueSet)[] = [];
  for (const [url, cs] of Object.entries(digest.heldCodeSystems ?? {})) {
    out.push({
      resourceType: 'CodeSystem',
      url,
      name: cs.name,
      content: 'complete',
      ...(cs.caseSensitive === false ? { caseSensitive: false } : { caseSensitive: true }),
      concept: Object.entries(cs.concepts).map(([code, displays]) => {
        const [display, ...others] = typeof displays === 'string' ? [displays] : displays;
        return {
          code,
          ...(display ? { display } : {}),
          ...(others.length > 0 ? { designation: others.map((value) => ({ value })) } : {}),
        };
      }),
    });
  }
  for (const [url, vs] of Object.entries(digest.valueSets)) {
    out.push({
      resourceType: 'ValueSet',
      url,
      name: vs.name,
      compose: {
        include: Object.entries(vs.systems).map(([system, codes]) => ({
          system,
          concept: codes.map((code) => ({ code })),
        })),
      },
    });
  }
  return out;
}
