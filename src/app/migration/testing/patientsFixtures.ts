/**
 * Tests only: the small patient extracts of the data team's component tests and journey — a
 * contract, January's and February's drops of one extract (each problem of a rehearsal comparison
 * once: fixed, new, worse, still failing), and walk-ins with every birth date empty.
 */

/** A patients contract: a patient number and a birth date required, the month checked, sex F or M. */
export const PATIENTS_CONTRACT = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:clinic:patients',
  title: 'Patients contract',
  type: 'object',
  required: ['id', 'birth_date'],
  properties: {
    id: { type: 'string', description: 'Patient number' },
    birth_date: { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])-\\d{2}$' },
    sex: { enum: ['F', 'M'] },
  },
} as const;

/** January: two empty birth dates, one impossible month (13), one unknown sex (4 errors). */
export const PATIENTS_JAN = 'id,birth_date,sex\n1,1990-01-02,F\n2,,M\n3,1985-13-01,X\n4,,F\n';

/**
 * February: the month fixed (fixed); a third empty birth date (worse) on a row with no patient
 * number either (new); the unknown sex still there (still failing): 5 errors.
 */
export const PATIENTS_FEB = 'id,birth_date,sex\n1,1990-01-02,F\n2,,M\n3,1985-03-01,X\n4,,F\n,,M\n';

/** 30 walk-ins, every birth date empty: more occurrences than a report's 20 examples. */
export const WALK_INS = `id,birth_date\n${Array.from({ length: 30 }, (_, i) => `${i + 1},`).join('\n')}\n`;
