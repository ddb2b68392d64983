/**
 * The rules of a concept against the value set it is checked in: a value set that marks the
 * concept deprecated, whether the value set has it (or why that cannot be told: a value set it
 * includes not held, an include of another version of the code system), and an abstract concept
 * where it may not be chosen.
 */
import { versionMatches } from '../store.ts';
import type { ValueSet } from '../types.ts';
import { type CodingRule, type ConceptContext, STANDARDS_STATUS } from './types.ts';

const VS_DEPRECATED = 'http://hl7.org/fhir/StructureDefinition/valueset-deprecated';

/** A value set that includes the concept, marked deprecated where it lists it. */
export const deprecatedInValueSet: CodingRule = {
  id: 'deprecated-in-value-set',
  stage: 'concept',
  describe: 'A concept the value set marks deprecated where it includes it is a warning',
  applies: (c) => c.vs !== undefined,
  check(c) {
    for (const part of c.vs?.compose?.include ?? []) {
      if (part.system !== c.system) continue;
      const listed = part.concept?.find((x) => x.code === c.concept.code);
      const marked = listed?.extension?.some(
        (e) =>
          (e.url === VS_DEPRECATED && (e.valueBoolean === true || e.valueCode === 'true')) ||
          (e.url === STANDARDS_STATUS && e.valueCode === 'deprecated'),
      );
      if (marked)
        c.issues.push({
          severity: 'warning',
          code: 'business-rule',
          type: 'code-comment',
          text: `The presence of the concept '${c.concept.code}' in the system '${c.system}' in the value set ${c.vsName} is marked with a status of deprecated and its use should be reviewed`,
          expression: c.at.path,
        });
    }
  },
};

/** The code's version is not the one the value set includes: the value set's error, said with why. */
function versionConflict(c: ConceptContext, wanted: string): void {
  const included = c.engine.store.codeSystem(c.system, wanted);
  if (!included)
    c.issues.push({
      severity: 'error',
      code: 'not-found',
      type: 'not-found',
      text: `A definition for CodeSystem '${c.system}' version '${wanted}' could not be found, so the code cannot be validated. Valid versions: ${c.engine.store.codeSystemVersions(c.system).join(', ')}`,
      expression: `${c.at.path}.system`,
    });
  if (c.check !== undefined && included && !versionMatches(c.check, wanted))
    c.issues.push({
      severity: 'error',
      code: 'exception',
      type: 'version-error',
      text: `The version '${wanted}' the value set '${c.vsName}' includes is not allowed for system '${c.system}': required to be '${c.check}' by a version rule`,
      expression: `${c.at.path}.version`,
    });
  c.issues.push({
    severity: 'error',
    code: 'invalid',
    type: 'vs-invalid',
    text: `The code system version '${c.cs.version}' is not the version '${wanted}' the value set '${c.vsName}' includes`,
    expression: `${c.at.path}.version`,
  });
  c.valid = false;
}

/** Whether the value set has the concept, or why that cannot be told. */
export const valueSetMembership: CodingRule = {
  id: 'value-set-membership',
  stage: 'concept',
  describe:
    'A code the value set does not have is not valid; a value set it includes that is not held, or an include of another version, is an error',
  applies: (c) => c.vs !== undefined,
  check(c) {
    const vs = c.vs as ValueSet;
    const coding = { ...c.coding, code: c.concept.code, version: c.cs.version, unversioned: !c.explicit };
    const m = c.engine.membership.memberOfValueSet(vs, coding, c.req, 0);
    if (m.missing) {
      c.issues.push({ severity: 'error', code: 'not-found', type: 'not-found', text: m.missing });
      c.valid = false;
      c.undecided = { why: m.missing, inValueSet: false };
    } else if (m.versionConflict !== undefined && c.explicit) versionConflict(c, m.versionConflict);
    else if (!m.member) {
      if (m.unknown) c.reason = m.unknown;
      if (m.notHeld && m.unknown) c.undecided = { why: m.unknown, inValueSet: false };
      c.membershipFailed = true;
      c.valid = false;
      if (c.concept.inactive && (vs.compose?.inactive === false || c.req.activeOnly === true))
        c.issues.push({
          severity: 'error',
          code: 'business-rule',
          type: 'code-rule',
          text: `The concept '${c.concept.code}' is valid but is not active`,
          expression: c.at.codePath,
        });
    }
  },
};

/** An abstract concept where the request says abstract codes may not be chosen. */
export const abstractCode: CodingRule = {
  id: 'abstract-code',
  stage: 'concept',
  describe: 'An abstract concept where abstract codes are not allowed is an error, and not in the value set',
  applies: (c) => c.vs !== undefined && c.concept.abstract && c.req.abstract === false,
  check(c) {
    c.issues.push({
      severity: 'error',
      code: 'business-rule',
      type: 'code-rule',
      text: `The code '${c.concept.code}' is abstract, and not allowed in this context`,
      expression: c.at.codePath,
    });
    c.valid = false;
    // not selectable here, so not a member of what may be chosen
    c.membershipFailed = true;
  },
};
