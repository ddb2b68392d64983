import { describe, expect, it } from 'vitest';
import {
  readSteeringMeeting,
  type SteeringMeeting,
  withSteeringMeeting,
} from '../../formats/steeringMeeting.ts';
import { assessReadiness, evidencePack, quorumState, readinessResultHash } from './index.ts';
import { goProject } from './testing/crafted.ts';

const cmio = { name: 'Dr Ada Osei', role: 'CMIO', steering: true, attended: true };
const manager = { name: 'Lee Park', role: 'Clinic manager', steering: true, attended: true };
const nurse = { name: 'Sam Roy', role: 'Nurse lead', steering: true, attended: false };
const guest = { name: 'Vendor PM', steering: false, attended: true };

const quorumCases: {
  description: string;
  meeting: SteeringMeeting | null;
  state: 'met' | 'not-met' | 'no-rule';
  words: RegExp;
}[] = [
  { description: 'no record', meeting: null, state: 'no-rule', words: /no rule set/ },
  {
    description: 'attendees but no rule',
    meeting: { attendees: [cmio], conditions: [] },
    state: 'no-rule',
    words: /no rule set/,
  },
  {
    description: 'enough steering members attend; a guest does not count',
    meeting: { attendees: [cmio, manager, nurse, guest], quorum: { minSteering: 2 }, conditions: [] },
    state: 'met',
    words: /^Quorum met: 2 steering members attended \(rule: at least 2 steering members\)/,
  },
  {
    description: 'one short: an absent member and a guest do not count',
    meeting: { attendees: [cmio, nurse, guest], quorum: { minSteering: 2 }, conditions: [] },
    state: 'not-met',
    words: /^QUORUM NOT MET: 1 of the 2 steering members needed attended/,
  },
  {
    description: 'a named role must attend, matched ignoring case',
    meeting: { attendees: [cmio], quorum: { roles: ['cmio'] }, conditions: [] },
    state: 'met',
    words: /cmio attends/,
  },
  {
    description: 'a named role held only by someone absent',
    meeting: { attendees: [cmio, nurse], quorum: { minSteering: 1, roles: ['Nurse lead'] }, conditions: [] },
    state: 'not-met',
    words: /nobody attending holds Nurse lead/,
  },
];

describe('quorumState', () => {
  it.each(quorumCases)('$description', ({ meeting, state, words }) => {
    const q = quorumState(meeting);
    expect(q.state).toBe(state);
    expect(q.words).toMatch(words);
  });
});

describe('readSteeringMeeting', () => {
  it('skips what is of the wrong kind and keeps the rest', () => {
    const read = readSteeringMeeting({
      steeringMeeting: {
        attendees: [cmio, { name: '' }, 'x', { name: 'No flags' }],
        quorum: { minSteering: 0, roles: ['', 'CMIO'] },
        conditions: [{ text: 'Pharmacy check', owner: 'Lee Park', due: '2027-02-30' }, { owner: 'x' }],
      },
    });
    expect(read).toEqual({
      attendees: [cmio, { name: 'No flags', steering: false, attended: false }],
      quorum: { roles: ['CMIO'] },
      conditions: [{ text: 'Pharmacy check', owner: 'Lee Park' }],
    });
    expect(readSteeringMeeting({})).toBeNull();
  });
});

describe('the meeting on the evidence pack', () => {
  it('prints attendees, quorum and conditions without changing the readiness hash', () => {
    const project = goProject();
    const before = readinessResultHash(assessReadiness(project));
    const meeting: SteeringMeeting = {
      attendees: [cmio, nurse],
      quorum: { minSteering: 2 },
      conditions: [
        { text: 'Allergy codes re-checked after the final extract', owner: 'Lee Park', due: '2027-01-10' },
      ],
    };
    const withMeeting = {
      ...project,
      meta: { ...project.meta, settings: withSteeringMeeting(project.meta.settings, meeting) },
    };
    const result = assessReadiness(withMeeting);
    expect(readinessResultHash(result)).toBe(before);
    const pack = evidencePack(withMeeting, result, '2026-11-24T11:00:00Z');
    expect(pack.meeting).toMatchObject({
      attendees: meeting.attendees,
      conditions: meeting.conditions,
      quorum: { state: 'not-met', steeringPresent: 1 },
    });
  });
});
