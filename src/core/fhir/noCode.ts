/**
 * A CodeableConcept with no code where its binding asks for one: only text ("married"), or only
 * an extension. Its text cannot be checked against anything, so the binding is not met whatever
 * the value set holds: required is an error, extensible a warning (a code should be given unless
 * none fits), as the HL7 Java validator grades a CodeableConcept without a coding. Preferred and
 * example bindings ask for nothing. The base walk (walk.ts) and the profile checker's binding
 * check report it under the same rules and the same dedupe key, so a profile that keeps the
 * specification's binding does not say it twice.
 */
import type { IssueSink } from './issues.ts';

/** The strengths that make a missing code a finding. */
export type NoCodeStrength = 'required' | 'extensible';

/**
 * Whether a CodeableConcept holds no coding with any content (an absent or empty `coding`, or
 * only empty objects in it): a coding with a system or display but no code is a coding, judged by
 * the code checks, not this one.
 */
export function hasNoCoding(value: Record<string, unknown>): boolean {
  const coding = value.coding;
  if (!Array.isArray(coding)) return true;
  return !coding.some((c) => c !== null && typeof c === 'object' && Object.keys(c).length > 0);
}

/** How a binding names its value set in the words. */
export interface NoCodeBinding {
  strength: NoCodeStrength;
  /** the value set's URL */
  valueSet: string;
  /** its readable name, when one is known */
  name?: string | undefined;
  /** where the binding comes from, when not the element's own binding ("the additional binding's", "the maximum") */
  kind?: 'additional' | 'maximum';
}

/** The rule a missing code is reported under. */
export function noCodeRule(strength: NoCodeStrength): string {
  return strength === 'required' ? 'fhir-code-missing' : 'fhir-code-missing-extensible';
}

/** The dedupe key: one finding per location and value set, whoever reports it first. */
export function noCodeKey(location: string, binding: NoCodeBinding): string {
  // a profile names the specification's value set with its version (`…|4.0.1`), the walk without
  return `${noCodeRule(binding.strength)}|${location}|${binding.valueSet.split('|')[0]}`;
}

/** What is wrong and what to do, never the text itself. */
export function noCodeMessage(value: Record<string, unknown>, binding: NoCodeBinding): string {
  const what =
    typeof value.text === 'string' && value.text.trim() !== ''
      ? 'Only text is given, no code'
      : 'No code is given';
  const vs = binding.name ? `${binding.name} (${binding.valueSet})` : binding.valueSet;
  const whose =
    binding.kind === 'additional'
      ? 'an additional binding'
      : binding.kind === 'maximum'
        ? "the extensible binding's maximum value set"
        : binding.strength === 'required'
          ? 'the binding'
          : 'the extensible binding';
  return binding.strength === 'required' || binding.kind === 'maximum'
    ? `${what}: ${whose} requires a code from the value set ${vs}; add a coding with one of its codes`
    : `${what}: ${whose} asks for a code from the value set ${vs} unless none fits; add a coding with one of its codes where one fits`;
}

/** Reports a missing code from the base specification's binding (the base walk). */
export function reportNoCode(
  sink: IssueSink,
  value: Record<string, unknown>,
  location: string,
  binding: NoCodeBinding,
): void {
  sink.report(
    noCodeRule(binding.strength),
    location,
    noCodeMessage(value, binding),
    undefined,
    noCodeKey(location, binding),
  );
}
