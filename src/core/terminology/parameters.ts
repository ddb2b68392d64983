/**
 * `$validate-code` as FHIR Parameters: a request read into the engine's inputs (the names of
 * FHIR R4/R5 and of the HL7 terminology servers' extra parameters), a result written back.
 */
import type { CodeableConcept, Coding, ValidateCodeRequest, ValidateCodeResult, ValueSet } from './types.ts';

interface Parameter {
  name?: string;
  [value: string]: unknown;
}

function parameterValue(p: Parameter): unknown {
  for (const [k, v] of Object.entries(p)) if (k.startsWith('value')) return v;
  return undefined;
}

/**
 * Reads a Parameters resource (or its `parameter` list) into a request. `target` says whether the
 * `url` names a value set (`ValueSet/$validate-code`) or a code system (`CodeSystem/$validate-code`).
 * Throws on a parameter of the wrong type, naming it.
 */
export function fromParameters(
  parameters: { parameter?: Parameter[] } | Parameter[],
  target: 'ValueSet' | 'CodeSystem',
): ValidateCodeRequest {
  const list = Array.isArray(parameters) ? parameters : (parameters.parameter ?? []);
  const req: ValidateCodeRequest = {};
  const text = (p: Parameter): string => {
    const v = parameterValue(p);
    if (typeof v !== 'string') throw new Error(`The parameter '${p.name}' should hold a text value`);
    return v;
  };
  const flag = (p: Parameter): boolean => {
    const v = parameterValue(p);
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') return v === 'true';
    throw new Error(`The parameter '${p.name}' should hold true or false`);
  };
  const push = (
    key:
      | 'defaultSystemVersions'
      | 'forceSystemVersions'
      | 'checkSystemVersions'
      | 'defaultValueSetVersions'
      | 'useSupplements',
    v: string,
  ) => {
    req[key] = [...(req[key] ?? []), v];
  };
  for (const p of list) {
    switch (p.name) {
      case 'url':
        if (target === 'ValueSet') req.valueSet = text(p);
        else req.codeSystem = text(p);
        break;
      case 'valueSet':
        req.valueSetResource = p.resource as ValueSet;
        break;
      case 'valueSetVersion':
        req.valueSetVersion = text(p);
        break;
      case 'code':
        req.code = text(p);
        break;
      case 'system':
        req.system = text(p);
        break;
      case 'systemVersion':
      case 'version':
        req.systemVersion = text(p);
        break;
      case 'display':
        req.display = text(p);
        break;
      case 'coding':
        req.coding = parameterValue(p) as Coding;
        break;
      case 'codeableConcept':
        req.codeableConcept = parameterValue(p) as CodeableConcept;
        break;
      case 'displayLanguage':
        req.displayLanguage = text(p);
        break;
      case 'abstract':
        req.abstract = flag(p);
        break;
      case 'activeOnly':
        req.activeOnly = flag(p);
        break;
      case 'valueset-membership-only':
        req.membershipOnly = flag(p);
        break;
      case 'lenient-display-validation':
        req.lenientDisplay = flag(p);
        break;
      case 'inferSystem':
        req.inferSystem = flag(p);
        break;
      case 'system-version':
        push('defaultSystemVersions', text(p));
        break;
      case 'force-system-version':
        push('forceSystemVersions', text(p));
        break;
      case 'check-system-version':
        push('checkSystemVersions', text(p));
        break;
      case 'default-valueset-version':
        push('defaultValueSetVersions', text(p));
        break;
      case 'useSupplement':
        push('useSupplements', text(p));
        break;
      default:
        // other parameters (uuid, …) change nothing here
        break;
    }
  }
  // a code system's own check with no url: the code system is the one the coding names
  if (target === 'CodeSystem' && req.codeSystem === undefined) {
    const system = req.coding?.system ?? req.codeableConcept?.coding?.[0]?.system ?? req.system;
    if (system !== undefined) req.codeSystem = system;
  }
  return req;
}

/** A result as the Parameters resource a terminology server returns. */
export function toParameters(result: ValidateCodeResult): {
  resourceType: 'Parameters';
  parameter: Parameter[];
} {
  const parameter: Parameter[] = [{ name: 'result', valueBoolean: result.result }];
  if (result.message) parameter.push({ name: 'message', valueString: result.message });
  if (result.code !== undefined) parameter.push({ name: 'code', valueCode: result.code });
  if (result.system !== undefined) parameter.push({ name: 'system', valueUri: result.system });
  if (result.version !== undefined) parameter.push({ name: 'version', valueString: result.version });
  if (result.display !== undefined) parameter.push({ name: 'display', valueString: result.display });
  if (result.inactive) parameter.push({ name: 'inactive', valueBoolean: true });
  if (result.status !== undefined) parameter.push({ name: 'status', valueCode: result.status });
  if (result.normalizedCode !== undefined)
    parameter.push({ name: 'normalized-code', valueCode: result.normalizedCode });
  if (result.issues.length)
    parameter.push({
      name: 'issues',
      resource: {
        resourceType: 'OperationOutcome',
        issue: result.issues.map((i) => ({
          severity: i.severity,
          code: i.code,
          details: {
            coding: [{ system: 'http://hl7.org/fhir/tools/CodeSystem/tx-issue-type', code: i.type }],
            text: i.text,
          },
          ...(i.expression ? { expression: [i.expression] } : {}),
        })),
      },
    });
  return { resourceType: 'Parameters', parameter };
}
