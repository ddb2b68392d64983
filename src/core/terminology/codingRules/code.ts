/**
 * The rules of a code in a held code system: the code system's own status, a version rule of the
 * request, and the code itself (unknown, unknown in a fragment, unknown in a system inferred from
 * the value set). A code the code system lacks is not checked further.
 */
import { versionMatches } from '../store.ts';
import { type CodingRule, statusOf } from './types.ts';

/** A code system withdrawn, deprecated, experimental or draft is said, for information. */
export const codeSystemStatus: CodingRule = {
  id: 'code-system-status',
  stage: 'code',
  describe: 'A code system withdrawn, deprecated, retired, experimental or draft is said (information)',
  applies: (c) => statusOf(c.cs.resource) !== undefined,
  check(c) {
    c.issues.push({
      severity: 'information',
      code: 'business-rule',
      type: 'status-check',
      text: `Reference to ${statusOf(c.cs.resource)} CodeSystem ${c.cs.url}${c.cs.version ? `|${c.cs.version}` : ''}`,
    });
    return undefined;
  },
};

/** A version the request's `check-system-version` does not allow. */
export const systemVersionRule: CodingRule = {
  id: 'system-version-rule',
  stage: 'code',
  describe: 'A code system version the request does not allow (check-system-version) is an error',
  applies: (c) => c.check !== undefined && c.stated && !versionMatches(c.check, c.cs.version),
  check(c) {
    c.issues.push({
      severity: 'error',
      code: 'exception',
      type: 'version-error',
      text: `The version '${c.cs.version}' is not allowed for system '${c.system}': required to be '${c.check}' by a version rule`,
      expression: `${c.at.path}.version`,
    });
    return undefined;
  },
};

/** A fragment holds only some of its codes: one it lacks may be valid. */
export const fragmentUnknownCode: CodingRule = {
  id: 'fragment-unknown-code',
  stage: 'code',
  describe: 'A code a fragment code system lacks is a warning: the code may be valid',
  applies: (c) => c.concept === undefined && c.cs.resource.content === 'fragment',
  check(c) {
    c.issues.push({
      severity: 'warning',
      code: 'code-invalid',
      type: 'invalid-code',
      text: `Unknown code '${c.code}' in the CodeSystem '${c.system}' version '${c.cs.version ?? ''}': the code system is a fragment, so the code may be valid`,
      expression: c.at.codePath,
    });
    return { valid: true, issues: c.issues, out: c.out, membershipFailed: false };
  },
};

/** A system inferred from the value set: a code it lacks is simply not in the value set. */
export const inferredUnknownCode: CodingRule = {
  id: 'inferred-unknown-code',
  stage: 'code',
  describe: 'A code the system inferred from the value set lacks is not in the value set',
  applies: (c) => c.concept === undefined && c.inferred,
  check: (c) => ({ valid: false, issues: c.issues, out: c.out, membershipFailed: true }),
};

/** A code its code system does not have. */
export const unknownCode: CodingRule = {
  id: 'unknown-code',
  stage: 'code',
  describe: 'A code its code system does not have is an error',
  applies: (c) => c.concept === undefined,
  check(c) {
    c.issues.push({
      severity: 'error',
      code: 'code-invalid',
      type: 'invalid-code',
      text: `Unknown code '${c.code}' in the CodeSystem '${c.system}' version '${c.cs.version ?? ''}'`,
      expression: c.at.codePath,
    });
    return { valid: false, issues: c.issues, out: c.out, membershipFailed: true };
  },
};
