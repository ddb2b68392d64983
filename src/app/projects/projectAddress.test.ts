/** When the address and the open project are out of step, what is done: a table of the cases. */
import { describe, expect, it } from 'vitest';
import { type AddressFacts, type AddressStep, addressStep } from './projectAddress.ts';

const facts = (over: Partial<AddressFacts>): AddressFacts => ({
  ready: true,
  addressed: undefined,
  open: 'riverside',
  known: new Set(['riverside', 'northside']),
  sessionSwitched: false,
  requested: undefined,
  ...over,
});

describe('addressStep', () => {
  it.each<{ case: string; given: Partial<AddressFacts>; expected: AddressStep }>([
    {
      case: 'nothing is known before the session is ready',
      given: { ready: false, addressed: 'northside' },
      expected: { kind: 'none' },
    },
    {
      case: 'an address without a project gains the open one',
      given: {},
      expected: { kind: 'name-open', project: 'riverside' },
    },
    {
      case: 'no project part and none open: nothing to name',
      given: { open: undefined },
      expected: { kind: 'none' },
    },
    {
      case: 'the address names the open project',
      given: { addressed: 'riverside' },
      expected: { kind: 'none' },
    },
    {
      case: 'another stored project is opened',
      given: { addressed: 'northside' },
      expected: { kind: 'open', project: 'northside' },
    },
    {
      case: 'a stored project opens when none is open',
      given: { addressed: 'northside', open: undefined },
      expected: { kind: 'open', project: 'northside' },
    },
    {
      case: 'a switch asked for is not asked again',
      given: { addressed: 'northside', requested: 'northside' },
      expected: { kind: 'opening', project: 'northside' },
    },
    {
      case: 'a newer address asks for its own project',
      given: {
        addressed: 'northside',
        requested: 'eastside',
        known: new Set(['riverside', 'northside', 'eastside']),
      },
      expected: { kind: 'open', project: 'northside' },
    },
    {
      case: 'a project not in this browser is said, not opened',
      given: { addressed: 'elsewhere' },
      expected: { kind: 'unknown', project: 'elsewhere' },
    },
    {
      case: 'nor with no project open',
      given: { addressed: 'elsewhere', open: undefined },
      expected: { kind: 'unknown', project: 'elsewhere' },
    },
    {
      case: 'the session opened another project (new, imported, a delete): the address follows',
      given: { addressed: 'northside', sessionSwitched: true },
      expected: { kind: 'name-open', project: 'riverside' },
    },
    {
      case: 'even from an address naming a project not in this browser (its file imported)',
      given: { addressed: 'elsewhere', sessionSwitched: true },
      expected: { kind: 'name-open', project: 'riverside' },
    },
  ])('$case', ({ given, expected }) => {
    expect(addressStep(facts(given))).toEqual(expected);
  });
});
