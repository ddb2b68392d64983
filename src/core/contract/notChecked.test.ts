/**
 * What a contract asks that a run does not check, recorded in its root `$comment` and read back
 * per run: never-checked lines always, a unique column unless it is a key of the run, a foreign
 * key unless its column is linked; the author's own comment is kept and never read as a line.
 */
import { describe, expect, it } from 'vitest';
import { compileColumnContract } from './columnContract.ts';
import { notCheckedOf, type RunChecks, withNotChecked } from './notChecked.ts';

const CONTRACT = {
  type: 'object',
  $comment: 'Agreed with the lab, March',
  properties: { id: { type: 'string' }, patient: { type: 'string' } },
};
const recorded = withNotChecked(CONTRACT, {
  notChecked: ['the date format of "admitted" is not checked: it uses the directive %j'],
  keys: ['id'],
  links: [{ column: 'patient', resource: 'patients', targetColumn: 'patient_id' }],
});

const NEVER = 'the date format of "admitted" is not checked: it uses the directive %j';
const KEY = 'repeats in "id" (unique in the contract): choose it as the file\'s key to check them';
const LINK = 'the foreign key patient → patients.patient_id: link the files by it to check it';

describe('not-checked lines of a contract, per run', () => {
  it.each<{ name: string; run: RunChecks; expected: string[] }>([
    { name: 'no key, no link', run: { keys: [], linkedColumns: [] }, expected: [NEVER, KEY, LINK] },
    { name: 'the key chosen', run: { keys: ['id'], linkedColumns: [] }, expected: [NEVER, LINK] },
    { name: 'the column linked', run: { keys: [], linkedColumns: ['patient'] }, expected: [NEVER, KEY] },
    { name: 'both', run: { keys: ['id', '*'], linkedColumns: ['patient'] }, expected: [NEVER] },
  ])('$name', ({ run, expected }) => {
    expect(notCheckedOf(recorded, run)).toEqual(expected);
  });

  it('keeps the author comment, reads none of it, and still compiles', () => {
    expect(String(recorded.$comment).startsWith('Agreed with the lab, March\n')).toBe(true);
    expect(notCheckedOf(CONTRACT, { keys: [], linkedColumns: [] })).toEqual([]);
    expect(compileColumnContract(recorded).ok).toBe(true);
  });

  it('leaves a contract with nothing to record unchanged', () => {
    expect(withNotChecked(CONTRACT, { notChecked: [] })).toEqual(CONTRACT);
  });

  it('ignores a damaged key or link line', () => {
    const damaged = {
      ...CONTRACT,
      $comment: 'Checked when chosen as the key: {oops\nChecked when the files are linked: 3',
    };
    expect(notCheckedOf(damaged, { keys: [], linkedColumns: [] })).toEqual([]);
  });
});
