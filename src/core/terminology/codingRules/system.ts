/**
 * The rules of a coding's system: worked out from the value set when asked to (`inferSystem`),
 * said missing, and refused when it names something that is not a code system (a supplement, a
 * value set, no URI) or a code system not held. A coding without a code system to look in is not
 * checked further.
 */
import { versionFor } from '../membership.ts';
import type { Checked, CodingContext, CodingRule, SystemContext } from './types.ts';

/** A failed check that stops at the system: membership fails when there is a value set. */
function stopped(c: CodingContext, out: Checked['out'] = c.out): Checked {
  return { valid: false, issues: c.issues, out, membershipFailed: c.vs !== undefined };
}

/** The system worked out from the value set, when only one of its code systems has the code. */
export const inferSystem: CodingRule = {
  id: 'infer-system',
  stage: 'coding',
  describe: 'A code given without a system takes the system of the value set that has it, when only one does',
  applies: (c) => c.coding.system === undefined && c.vs !== undefined && c.req.inferSystem === true,
  check(c) {
    const systems = new Set(
      (c.vs?.compose?.include ?? []).map((p) => p.system).filter((s) => s !== undefined),
    );
    // several systems: the one that has the code, when only one does
    const having = [...systems].filter(
      (s) => systems.size === 1 || c.engine.store.codeSystem(s)?.find(c.code),
    );
    if (having.length === 1) {
      c.coding.system = having[0];
      c.inferred = true;
      return undefined;
    }
    if (having.length === 0) return undefined;
    c.issues.push({
      severity: 'error',
      code: 'not-found',
      type: 'cannot-infer',
      text: `The code system of the code '${c.code}' cannot be worked out: the value set '${c.vsName}' has it in several code systems (${having.join(', ')}). Give the code's system`,
      expression: c.at.path,
    });
    return { valid: false, issues: c.issues, out: { code: c.code }, membershipFailed: true };
  },
};

/** A coding with no system has no meaning to check. */
export const noSystem: CodingRule = {
  id: 'no-system',
  stage: 'coding',
  describe: 'A coding with no system cannot be validated (an error, a warning against a value set)',
  applies: (c) => c.coding.system === undefined,
  check(c) {
    c.issues.push({
      severity: c.vs ? 'warning' : 'error',
      code: 'invalid',
      type: 'invalid-data',
      text: `Coding has no system. A code with no system has no defined meaning, and it cannot be validated. A system should be provided`,
      expression: c.at.path,
    });
    return stopped(c, { code: c.code });
  },
};

/** A supplement only adds to the code system it supplements; it is not a system of codes. */
export const supplementAsSystem: CodingRule = {
  id: 'supplement-as-system',
  stage: 'system',
  describe: 'A code-system supplement given as the system is refused: give the code system it supplements',
  applies: (c) => c.cs === undefined && c.engine.store.supplement(c.system, c.version) !== undefined,
  check(c) {
    const supplement = c.engine.store.supplement(c.system, c.version);
    c.issues.push({
      severity: 'error',
      code: 'invalid',
      type: 'invalid-data',
      text: `CodeSystem ${supplement?.url}${supplement?.version ? `|${supplement.version}` : ''} is a supplement, so can't be used as a value in ${c.at.path}.system: a supplement only adds displays and properties to the code system it supplements (${supplement?.supplements ?? 'not named'}), so give that code system as the system`,
      expression: `${c.at.path}.system`,
    });
    return stopped(c);
  },
};

/** A value set's URL given as a coding's system. */
export const valueSetAsSystem: CodingRule = {
  id: 'value-set-as-system',
  stage: 'system',
  describe: "A value set's URL given as the system is refused: a coding's system names a code system",
  applies: (c) => c.cs === undefined && c.engine.store.valueSetVersions(c.system).length > 0,
  check(c) {
    c.issues.push({
      severity: 'error',
      code: 'invalid',
      type: 'invalid-data',
      text: `The system '${c.system}' is a value set, not a code system: a coding's system names a code system`,
      expression: `${c.at.path}.system`,
    });
    return stopped(c);
  },
};

/** A system that is no absolute URI names no code system. */
export const systemNotUri: CodingRule = {
  id: 'system-not-uri',
  stage: 'system',
  describe: 'A system that is not an absolute URI is an error',
  applies: (c) => c.cs === undefined && !/^[a-z][a-z0-9+.-]*:/i.test(c.system),
  check(c) {
    c.issues.push({
      severity: 'error',
      code: 'invalid',
      type: 'invalid-data',
      text: `The system '${c.system}' is not an absolute URI: a coding's system names a code system by its canonical URL`,
      expression: `${c.at.path}.system`,
    });
    return undefined;
  },
};

/** Whether a version of the system is pinned by the value set or the request. */
function pinned(c: SystemContext): boolean {
  const lists = [c.req.defaultSystemVersions, c.req.forceSystemVersions, c.req.checkSystemVersions];
  return (
    (c.vs?.compose?.include ?? []).some((p) => p.system === c.system && p.version !== undefined) ||
    lists.some((list) => versionFor(list, c.system) !== undefined)
  );
}

/**
 * A code system (or the version asked for) not held: the code cannot be validated, and whether the
 * value set has it all the same is said, or why it cannot be told.
 */
export const codeSystemNotHeld: CodingRule = {
  id: 'code-system-not-held',
  stage: 'system',
  describe: 'A code system, or the version of it asked for, that is not held: the code is not checked',
  applies: (c) => c.cs === undefined,
  check(c) {
    const { vs, system, version } = c;
    const held = c.engine.store.codeSystemVersions(system);
    const text =
      held.length === 0
        ? `A definition for CodeSystem '${system}' could not be found, so the code cannot be validated`
        : `A definition for CodeSystem '${system}' version '${version}' could not be found, so the code cannot be validated. Valid versions: ${held.join(', ')}`;
    c.issues.push({
      severity: 'error',
      code: 'not-found',
      type: 'not-found',
      text,
      expression: `${c.at.path}.system`,
    });
    if (vs && c.explicit && held.length > 0)
      c.issues.push({
        // an include that names a version makes the mismatch the value set's error
        severity: pinned(c) ? 'error' : 'warning',
        code: 'invalid',
        type: 'vs-invalid',
        text: `Unable to check whether the code is in the value set '${c.vsName}' because the code system ${system}|${version} was not found`,
      });
    // whether the value set has the code all the same, or cannot tell without what is not held
    const undecided =
      vs !== undefined && held.length === 0
        ? c.engine.membership.notHeld(vs, c.coding, system, c.req)
        : undefined;
    // a system the value set does not include at all: the code is not in it either way
    const included = (vs?.compose?.include ?? []).some((p) => p.system === system);
    return {
      valid: false,
      issues: c.issues,
      out: c.out,
      membershipFailed: vs !== undefined && !included && held.length === 0,
      ...(undecided === undefined ? {} : { undecided }),
    };
  },
};
