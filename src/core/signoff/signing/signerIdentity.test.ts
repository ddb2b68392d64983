import { describe, expect, it } from 'vitest';
import { createAuditLogFile } from '../../../formats/auditLog.ts';
import type { Review, Signature } from '../../../formats/review.ts';
import { verifyAuditChain } from './auditChain.ts';
import { verifySignerIdentities } from './signerIdentity.ts';
import { confirmedBy, LEAD, REVIEWER, rosteredExport } from './testing/rosterScenario.ts';
import { serverSignedScene } from './testing/serverSigned.ts';
import { signedExport, softAuthenticator } from './testing/signedExport.ts';

async function identities(file: Awaited<ReturnType<typeof rosteredExport>>['file']) {
  const reviews = file.reviews ?? [];
  expect(verifyAuditChain(file.entries, reviews, { roster: file.roster, plans: file.plans })).toMatchObject({
    ok: true,
  });
  return verifySignerIdentities(file.entries, reviews, file.roster);
}

describe('verifySignerIdentities', () => {
  it('passes a signature made with the key the lead bound to its signer, with no warning', async () => {
    const { file } = await rosteredExport();
    expect(await identities(file)).toEqual({ ok: true, warnings: [] });
  });

  it('warns, without failing, for a file with no roster and a signature made without WebAuthn', async () => {
    const { file } = await signedExport();
    const result = await verifySignerIdentities(file.entries, file.reviews ?? [], undefined);
    expect(result).toMatchObject({ ok: true });
    expect(result.ok && result.warnings.join('\n')).toMatch(
      /signature sig1 \(entry 4\) was made without WebAuthn/,
    );
    expect(result.ok && result.warnings.join('\n')).toMatch(/no roster/);
  });

  it('gives a file whose sign-off was signed through the team server’s ceremony no typed-name warning', async () => {
    // a shared project's review: no roster here, the lead signed on the server as herself
    const { review, entries } = await serverSignedScene();
    expect(await verifySignerIdentities(entries, [review], undefined)).toEqual({ ok: true, warnings: [] });
    // the same signature made in a browser with a key nobody confirmed is still warned of
    const local = review.signatures?.map((s) => {
      if (s.reauthentication.method !== 'webauthn') return s;
      const { server: _server, ...assertion } = s.reauthentication;
      return { ...s, reauthentication: assertion };
    });
    const typed = await verifySignerIdentities(entries, [{ ...review, signatures: local }], undefined);
    expect(typed.ok && typed.warnings.join('\n')).toMatch(/no roster/);
  });

  const cases: {
    description: string;
    make: () => Promise<Awaited<ReturnType<typeof rosteredExport>>['file']>;
    expected: { reason: string; message: RegExp };
  }[] = [
    {
      description: 'a key nobody bound (a registration the lead never confirmed)',
      make: async () => (await rosteredExport({ signWith: await softAuthenticator() })).file,
      expected: { reason: 'key-not-bound', message: /entry 10: signature sig1: its key was never bound/ },
    },
    {
      description: "the reviewer's key used by the lead",
      make: async () => (await rosteredExport({ signWith: 'reviewer' })).file,
      expected: { reason: 'key-not-bound', message: /bound to another person on the roster/ },
    },
    {
      description: 'a signature re-made without WebAuthn by a signer holding a bound key',
      make: async () => (await rosteredExport({ signWith: 'none' })).file,
      expected: { reason: 'webauthn-missing', message: /entry 10: .*no WebAuthn assertion/ },
    },
    {
      description: 'a signer who is not on the roster',
      make: async () => {
        const { file } = await rosteredExport();
        const roster = file.roster && {
          changes: file.roster.changes.filter((c) => !(c.kind === 'member' && c.member.staffId === 'nobody')),
        };
        const reviews = file.reviews?.map((r) => ({
          ...r,
          signatures: r.signatures?.map(
            (s) => ({ ...s, signer: { ...s.signer, id: 'DR-CHEN' } }) as Signature,
          ),
        })) as Review[];
        return { ...file, roster, reviews };
      },
      expected: {
        reason: 'signer-not-on-roster',
        message: /entry 10: signature sig1: its signer was not on the roster/,
      },
    },
  ];
  it('a key the lead revoked before signing: refused as revoked, by whom and when, not as never bound', async () => {
    const { file } = await rosteredExport({
      change: async ({ lead }) => [
        await confirmedBy(
          {
            id: 'r5',
            at: '2025-03-02T09:15:00+01:00',
            by: LEAD.staffId,
            kind: 'key-revoked',
            staffId: LEAD.staffId,
            credentialId: lead.credentialId,
            reason: 'Security key lost',
          },
          lead,
        ),
      ],
    });
    const result = await identities(file);
    expect(result).toMatchObject({ ok: false, reason: 'key-not-bound', signature: 'sig1' });
    expect(!result.ok && result.message).toMatch(
      /^entry 11: signature sig1: its key was revoked by staff id CL-7 on 2025-03-02T09:15:00\+01:00 \(entry 5\), before it was signed/,
    );
    expect(!result.ok && result.message).not.toMatch(/never bound|no data lead confirmed/);
  });

  it.each(cases)('fails, naming the entry: $description', async ({ make, expected }) => {
    const file = await make();
    const result = await verifySignerIdentities(file.entries, file.reviews ?? [], file.roster);
    expect(result).toMatchObject({ ok: false, reason: expected.reason });
    expect(!result.ok && result.message).toMatch(expected.message);
  });

  it("fails at the roster entry when a bound key's confirmation was not the lead's", async () => {
    const { file, reviewer, lead } = await rosteredExport();
    const roster = structuredClone(file.roster);
    const bound = roster?.changes[3];
    if (bound?.kind !== 'key-bound') throw new Error('fixture');
    // the reviewer confirmed their own key, claiming to be the lead
    const made = await reviewer.assert(new Uint8Array(32));
    bound.confirmation.assertion = { method: 'webauthn', ...made, credentialId: lead.credentialId };
    const result = await verifySignerIdentities(file.entries, file.reviews ?? [], roster);
    expect(result).toMatchObject({ ok: false, reason: 'key-confirmation', entry: 4 });
    expect(!result.ok && result.message).toMatch(new RegExp(`staff id ${REVIEWER.staffId}`));
  });

  it("a member added with a confirmation that is not the lead's key names its entry", async () => {
    const { file, reviewer, lead } = await rosteredExport();
    const roster = structuredClone(file.roster);
    const added = roster?.changes[2];
    if (!added?.confirmation) throw new Error('fixture');
    const made = await reviewer.assert(new Uint8Array(32));
    added.confirmation.assertion = { method: 'webauthn', ...made, credentialId: lead.credentialId };
    const result = await verifySignerIdentities(file.entries, file.reviews ?? [], roster);
    expect(result).toMatchObject({ ok: false, reason: 'key-confirmation', entry: 3 });
    expect(!result.ok && result.message).toMatch(/a roster change by staff id CL-7/);
  });

  it('a roster change no lead could make (a key for someone removed from the roster) names its entry', async () => {
    const { file } = await rosteredExport();
    const roster = { changes: (file.roster?.changes ?? []).filter((c) => c.id !== 'r3') };
    const entries = file.entries.filter((e) => !(e.event === 'roster' && e.subjectId === 'r3'));
    const result = await verifySignerIdentities(entries, file.reviews ?? [], roster);
    expect(result).toMatchObject({ ok: false, reason: 'roster-invalid', entry: 3 });
  });

  it('a decision by someone not on the roster in that role names its entry', async () => {
    const { file } = await rosteredExport();
    const reviews = structuredClone(file.reviews ?? []);
    const decision = reviews[0]?.decisions[1];
    if (decision) decision.reviewer = { ...decision.reviewer, id: LEAD.staffId }; // the lead is no reviewer
    const result = await verifySignerIdentities(file.entries, reviews, file.roster);
    expect(result).toMatchObject({ ok: false, reason: 'reviewer-not-on-roster', entry: 8 });
  });

  it('an export carries the roster, and the roster names no record content', async () => {
    const { file } = await rosteredExport();
    const again = createAuditLogFile({ ...file });
    expect(again.roster?.changes.map((c) => c.kind)).toEqual(['member', 'key-bound', 'member', 'key-bound']);
    expect(JSON.stringify(file.roster)).not.toContain('MRN-');
    expect(file.roster?.changes[0]).toMatchObject({ member: LEAD });
  });
});
