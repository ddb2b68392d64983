/**
 * The demo clinic's data dictionary, as its data lead left it three weeks before go-live: the
 * intake and referral items linked to the legacy patients extract (one through the Patient
 * mapping's `birthDate` field, which carries it to the column and the FHIR element both), the
 * charge diagnosis linked by hand to the encounters' diagnosis code, one wrong suggestion rejected,
 * and the rest left as suggestions or unlinked — so the panel shows every state, and a failing
 * column of the demo's report (`allergies`, `phone`, `birth_date`…) names the steps that use it.
 * The app's demo and samples/projects/demo-clinic.preflight.json read the same list.
 */
import {
  type DictionaryLink,
  type DictionaryTarget,
  withDataDictionary,
} from '../src/formats/dataDictionary.ts';

/** When the data lead decided (before the demo's validation run). */
const DECIDED_AT = '2024-07-05T15:00:00Z';
const BY = 'Data lead';

const patients = (column: string): DictionaryTarget => ({
  kind: 'column',
  dataset: 'sample:patients.csv',
  column,
});
const encounters = (column: string): DictionaryTarget => ({
  kind: 'column',
  dataset: 'sample:encounters.csv',
  column,
});
const confirmed = (item: string, target: DictionaryTarget): DictionaryLink => ({
  item,
  target,
  decision: 'confirmed',
  by: BY,
  at: DECIDED_AT,
});

/** The demo's decisions, in the order they were made. */
const DEMO_DICTIONARY_LINKS: readonly DictionaryLink[] = [
  confirmed('allergies', patients('allergies')),
  confirmed('demographics.phone', patients('phone')),
  confirmed('demographics.email', patients('email')),
  confirmed('demographics.address', patients('address_line')),
  confirmed('insurance.member_id', patients('insurance_member_id')),
  confirmed('demographics.dob', { kind: 'field', mapping: 'patients-to-fhir-patient', target: 'birthDate' }),
  confirmed('demographics.name', patients('last_name')),
  confirmed('demographics.name', patients('first_name')),
  confirmed('charge.icd10', encounters('diagnosis_code')),
  {
    item: 'visit.assessment',
    target: encounters('visit_type'),
    decision: 'rejected',
    by: BY,
    at: DECIDED_AT,
  },
];

/** `settings` with the demo's data dictionary written (a new object). */
export function withDemoDataDictionary(settings: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return withDataDictionary(settings, {
    links: DEMO_DICTIONARY_LINKS.map((l) => ({ ...l, target: { ...l.target } })),
  });
}
