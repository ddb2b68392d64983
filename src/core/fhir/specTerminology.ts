/**
 * The specification's own terminology as resources the terminology engine reads: each code
 * system the digest holds whole (codes, displays, designations) and each value set of a binding
 * it expanded (its codes as an enumerated include). Offline `$validate-code` over base R4 needs
 * nothing else; a package's own code systems and value sets are added beside these.
 */
import type { CodeSystem, ValueSet } from '../terminology/index.ts';
import type { FhirDigest } from './digest.ts';

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
