import { describe, expect, it } from 'vitest';
import type { Roster, RosterChange, RosterRole } from '../../../formats/roster.ts';
import {
  addRosterChange,
  keyStanding,
  noSigningKeyText,
  RosterError,
  rosterDecisionRefusal,
  rosterState,
  signingRefusal,
  verifyKeyBinding,
  verifyLeadConfirmation,
} from './roster.ts';
import { boundKey, confirmedBy, keptRoster, LEAD, REVIEWER } from './testing/rosterScenario.ts';
import { softAuthenticator } from './testing/signedExport.ts';

const AT = '2025-03-01T10:00:00Z';
const member = (id: string, roles: RosterRole[], by = LEAD.staffId): RosterChange => ({
  id,
  at: AT,
  by,
  kind: 'member',
  member: { staffId: id.toUpperCase(), name: `Person ${id}`, title: 'Nurse', roles },
});

describe('roster changes', () => {
  it('starts with the lead adding themselves, then only a lead changes it', () => {
    expect(() => addRosterChange(undefined, member('x1', ['reviewer']))).toThrow(
      /starts with the data lead adding themselves/,
    );
    const started = addRosterChange(undefined, {
      id: 'r1',
      at: AT,
      by: LEAD.staffId,
      kind: 'member',
      member: LEAD,
    });
    expect(rosterState(started).members.get('CL-7')?.roles).toEqual(['lead', 'approver']);
    expect(() => addRosterChange(started, member('r2', ['reviewer'], 'RN-204'))).toThrow(/not a lead/);
  });

  const refusals: { description: string; change: (r: Roster) => Promise<RosterChange>; expected: RegExp }[] =
    [
      {
        description: 'a change id used twice',
        change: async () => ({ id: 'r1', at: AT, by: LEAD.staffId, kind: 'member', member: REVIEWER }),
        expected: /already used/,
      },
      {
        description: 'removing the last lead',
        change: async () => ({
          id: 'x',
          at: AT,
          by: LEAD.staffId,
          kind: 'member-removed',
          staffId: LEAD.staffId,
        }),
        expected: /no lead left/,
      },
      {
        description: 'a member without roles',
        change: async () => ({
          id: 'x',
          at: AT,
          by: LEAD.staffId,
          kind: 'member',
          member: { ...REVIEWER, roles: [] },
        }),
        expected: /at least one role/,
      },
      {
        description: 'a key for someone not on the roster',
        change: async () => {
          const lead = await softAuthenticator();
          return boundKey('x', 'MD-99', await softAuthenticator(), lead);
        },
        expected: /not on the roster/,
      },
      {
        description: 'a second key without replacing the first',
        change: async () => {
          const someone = await softAuthenticator();
          return boundKey('x', REVIEWER.staffId, someone, someone);
        },
        expected: /already has a key/,
      },
      {
        description: 'revoking a key that is not in use, or without a reason',
        change: async () => ({
          id: 'x',
          at: AT,
          by: LEAD.staffId,
          kind: 'key-revoked',
          staffId: REVIEWER.staffId,
          credentialId: 'nokey',
          reason: 'lost',
        }),
        expected: /no such key in use/,
      },
    ];
  it.each(refusals)('refuses $description', async ({ change, expected }) => {
    const { roster } = await keptRoster();
    const next = await change(roster);
    expect(() => addRosterChange(roster, next)).toThrow(RosterError);
    expect(() => addRosterChange(roster, next)).toThrow(expected);
  });

  it("refuses a reviewer's registration the lead did not confirm with the lead's own key", async () => {
    const { roster, lead } = await keptRoster();
    const newcomer = {
      id: 'r5',
      at: AT,
      by: LEAD.staffId,
      kind: 'member',
      member: { ...REVIEWER, staffId: 'MD-1' },
    } as const;
    const withNewcomer = addRosterChange(roster, await confirmedBy(newcomer, lead));
    const own = await softAuthenticator();
    // confirmed by the newcomer's own key instead of the lead's
    const selfConfirmed = await boundKey('r6', 'MD-1', own, own);
    expect(() => addRosterChange(withNewcomer, selfConfirmed)).toThrow(
      /not made with the lead’s registered key/,
    );
  });

  it('replacing a key revokes the old one; revoking stops it signing', async () => {
    const { roster, lead, reviewer } = await keptRoster();
    const fresh = await softAuthenticator();
    const replaced = addRosterChange(
      roster,
      await boundKey('r5', REVIEWER.staffId, fresh, lead, { replaces: reviewer.credentialId }),
    );
    const state = rosterState(replaced);
    expect(keyStanding(state, REVIEWER.staffId, reviewer.credentialId).kind).toBe('revoked');
    expect(keyStanding(state, REVIEWER.staffId, fresh.credentialId).kind).toBe('bound');
    const revocation: RosterChange = {
      id: 'r6',
      at: AT,
      by: LEAD.staffId,
      kind: 'key-revoked',
      staffId: REVIEWER.staffId,
      credentialId: fresh.credentialId,
      reason: 'Security key lost',
    };
    // once the lead holds a key, a change they did not confirm with it is refused
    expect(() => addRosterChange(replaced, revocation)).toThrow(/was not confirmed/);
    const revoked = addRosterChange(replaced, await confirmedBy(revocation, lead));
    expect(keyStanding(rosterState(revoked), REVIEWER.staffId, fresh.credentialId).kind).toBe('revoked');
    expect(keyStanding(rosterState(revoked), LEAD.staffId, reviewer.credentialId).kind).toBe('revoked');
  });
});

describe('noSigningKeyText: why a person on the roster cannot sign', () => {
  it('a revoked key is said to be revoked, by whom, when and why — not "no data lead confirmed it"', async () => {
    const { roster, lead, reviewer } = await keptRoster();
    expect(noSigningKeyText(roster, REVIEWER.staffId, reviewer.credentialId)).toBeUndefined();
    const revocation: RosterChange = {
      id: 'r5',
      at: '2025-03-02T09:15:00+01:00',
      by: LEAD.staffId,
      kind: 'key-revoked',
      staffId: REVIEWER.staffId,
      credentialId: reviewer.credentialId,
      reason: 'Security key lost',
    };
    const revoked = addRosterChange(roster, await confirmedBy(revocation, lead));
    // the browser still holds the revoked key it registered for her
    const text = noSigningKeyText(revoked, REVIEWER.staffId, reviewer.credentialId);
    expect(text).toBe(
      "Dana Reyes's key was revoked by Sam Okafor on 2025-03-02 at 09:15 (UTC+01:00) (“Security key lost”): a revoked key no longer signs. Ask the data lead to register and confirm a new key for Dana Reyes in the roster.",
    );
    expect(text).not.toMatch(/no data lead confirmed/);
    // the same without the browser's registration
    expect(noSigningKeyText(revoked, REVIEWER.staffId)).toBe(text);
    // a new registration nobody confirmed yet is what waits for the lead
    expect(noSigningKeyText(revoked, REVIEWER.staffId, 'new-credential')).toMatch(
      /^Dana Reyes's key was registered, but no data lead confirmed it/,
    );
  });

  it('someone who never had a key is asked to get one', async () => {
    const { roster, lead } = await keptRoster();
    const added = addRosterChange(roster, await confirmedBy(member('x9', ['approver']), lead));
    expect(noSigningKeyText(added, 'X9')).toBe(
      'Person x9 has no confirmed signing key: ask the data lead to register one in the roster.',
    );
  });
});

describe('verifyKeyBinding', () => {
  it("accepts the lead's confirmation and refuses one over another registration", async () => {
    const { roster, lead } = await keptRoster();
    const change = roster.changes[3];
    if (change?.kind !== 'key-bound') throw new Error('fixture');
    expect(await verifyKeyBinding(rosterState(roster, 3), change)).toEqual({ ok: true });
    // the same confirmation moved onto another key: its challenge no longer matches
    const other = await softAuthenticator();
    const moved = {
      ...change,
      credential: { id: other.credentialId, algorithm: other.algorithm, publicKeyJwk: other.publicKeyJwk },
    };
    expect(await verifyKeyBinding(rosterState(roster, 3), moved)).toMatchObject({ ok: false });
    // confirmed with a key claiming the lead's id but another public key
    const forged = await boundKey('r4', REVIEWER.staffId, other, await softAuthenticator());
    const asLead = {
      ...forged,
      confirmation: {
        ...forged.confirmation,
        assertion: { ...forged.confirmation.assertion, credentialId: lead.credentialId },
      },
    };
    expect(await verifyKeyBinding(rosterState(roster, 3), asLead)).toMatchObject({
      ok: false,
      message: /not confirmed with the lead’s registered key/,
    });
  });
});

describe('verifyLeadConfirmation', () => {
  it('accepts a member change the lead confirmed with their key, refuses one confirmed by another key', async () => {
    const { roster, reviewer } = await keptRoster();
    const change = roster.changes[2];
    if (!change) throw new Error('fixture');
    expect(await verifyLeadConfirmation(rosterState(roster, 2), change)).toEqual({ ok: true });
    // made with the reviewer's key, claiming to be the lead's
    const forged = await confirmedBy(change, reviewer);
    const leadKey = roster.changes[1]?.kind === 'key-bound' ? roster.changes[1].credential.id : '';
    const assertion = forged.confirmation?.assertion;
    if (!assertion) throw new Error('fixture');
    const claimed: RosterChange = {
      ...forged,
      confirmation: { leadId: LEAD.staffId, assertion: { ...assertion, credentialId: leadKey } },
    };
    expect(await verifyLeadConfirmation(rosterState(roster, 2), claimed)).toMatchObject({ ok: false });
  });
});

describe('segregation of duties by roster identity', () => {
  it('a decision needs a roster member in the role of its stage', async () => {
    const { roster } = await keptRoster();
    expect(rosterDecisionRefusal(undefined, 'anyone', 'first')).toBeUndefined();
    expect(rosterDecisionRefusal(roster, REVIEWER.staffId, 'first')).toBeUndefined();
    expect(rosterDecisionRefusal(roster, 'MD-99', 'first')).toMatch(/not on the project roster/);
    expect(rosterDecisionRefusal(roster, REVIEWER.staffId, 'adjudication')).toMatch(
      /is not an adjudicator on the roster/,
    );
    expect(rosterDecisionRefusal(roster, REVIEWER.staffId, 'second')).toMatch(/second reviewer/);
  });

  it('an approval needs an approver who did not review (unless the plan allows it)', async () => {
    const { roster } = await keptRoster();
    const base = { roster, approval: true, reviewers: new Set<string>() };
    expect(signingRefusal({ ...base, signerId: LEAD.staffId })).toBeUndefined();
    expect(signingRefusal({ ...base, signerId: 'DR-CHEN' })).toMatch(/Only people on the project roster/);
    expect(signingRefusal({ ...base, signerId: REVIEWER.staffId })).toMatch(/not an approver/);
    const reviewed = { ...base, signerId: LEAD.staffId, reviewers: new Set([LEAD.staffId]) };
    expect(signingRefusal(reviewed)).toMatch(/someone else approves/);
    expect(signingRefusal({ ...reviewed, reviewerMayApprove: true })).toBeUndefined();
    expect(signingRefusal({ ...reviewed, approval: false })).toBeUndefined();
  });
});
