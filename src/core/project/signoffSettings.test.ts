import { describe, expect, it } from 'vitest';
import type { Roster } from '../../formats/roster.ts';
import { LEAD, REVIEWER } from '../signoff/signing/index.ts';
import { actingStaffId, rememberReviewer } from './signoffSettings.ts';

const AT = '2025-03-01T10:00:00Z';
const roster = (...members: (typeof LEAD)[]): Roster => ({
  changes: members.map((member, i) => ({
    id: `r${i + 1}`,
    at: AT,
    by: LEAD.staffId,
    kind: 'member',
    member,
  })),
});
const remembering = (id: string) => {
  const change = rememberReviewer({}, { name: 'Someone', role: 'Nurse', id });
  return change?.type === 'project/settings' ? change.settings : {};
};

describe('actingStaffId: who a lock, draw, packet export or merge is recorded as', () => {
  it.each([
    { description: 'nobody known', settings: {}, roster: undefined, expected: undefined },
    {
      description: 'no roster: the person remembered here',
      settings: remembering('RN-9'),
      roster: undefined,
      expected: 'RN-9',
    },
    {
      description: 'a roster with one lead: that lead',
      settings: {},
      roster: roster(LEAD, REVIEWER),
      expected: LEAD.staffId,
    },
    {
      description: 'a roster: the remembered person only when a lead',
      settings: remembering(REVIEWER.staffId),
      roster: roster(LEAD, REVIEWER),
      expected: LEAD.staffId,
    },
    {
      description: 'two leads, none remembered: nobody (never a guess)',
      settings: {},
      roster: roster(LEAD, { ...REVIEWER, roles: ['lead'] }),
      expected: undefined,
    },
  ])('$description', ({ settings, roster, expected }) => {
    expect(actingStaffId(settings, roster)).toBe(expected);
  });
});
