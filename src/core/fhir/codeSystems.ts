/**
 * Code systems named in what a run leaves unchecked. Those here are never shipped whole in a FHIR
 * package — licensed (SNOMED CT, CPT) or too large (LOINC, RxNorm, NDC, …) — so only a terminology
 * server can check their codes; the words a report gives for them say so.
 */

/** Code systems no FHIR package ships whole (licensed, too large, or kept by their owner outside FHIR), by their canonical URL. */
export const LARGE_CODE_SYSTEMS: Readonly<Record<string, string>> = {
  'http://snomed.info/sct': 'SNOMED CT',
  'http://loinc.org': 'LOINC',
  'http://www.nlm.nih.gov/research/umls/rxnorm': 'RxNorm',
  'http://hl7.org/fhir/sid/cvx': 'CVX',
  'http://hl7.org/fhir/sid/ndc': 'NDC',
  'http://hl7.org/fhir/sid/icd-10-cm': 'ICD-10-CM',
  'http://hl7.org/fhir/sid/icd-10': 'ICD-10',
  'http://www.ama-assn.org/go/cpt': 'CPT',
};

/** A code system in a data team's words: its common name and URL, or the URL alone. */
export function codeSystemWords(system: string): string {
  if (system === '') return 'no system';
  const name = LARGE_CODE_SYSTEMS[system];
  return name ? `${name} (${system})` : system;
}

/** Why the codes of a code system were not checked, in a data team's words. */
export function uncheckedWhy(system: string): string {
  return LARGE_CODE_SYSTEMS[system]
    ? 'licensed or large, so in no package: a terminology server can check them'
    : 'their value set or code system is not in the loaded packages: load it, or a terminology server can check them';
}

/**
 * Why the codings of a code system nobody holds were not checked: one no package ships (licensed
 * or large), UCUM without its library, or a system neither the specification nor a loaded package
 * defines (a local or mistyped URL), in a data team's words.
 */
export function unheldWhy(system: string): string {
  if (LARGE_CODE_SYSTEMS[system])
    return 'licensed or large, so in no package: a terminology server can check them';
  if (system === 'http://unitsofmeasure.org') return 'the UCUM unit checker is not available here';
  return 'neither FHIR R4 nor a loaded package defines this code system: load the package that does (or check the URL for a typo), or a terminology server can check them';
}
