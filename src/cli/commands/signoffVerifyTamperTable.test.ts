/**
 * Tamper tables for the signed exports: every signed field of a sign-off signature (in an exported
 * audit log) and of a steering decision and its signature, flipped, removed, and the signed lists
 * reordered. The forger recomputes every hash a file carries (the chain, the file's integrity) so
 * that only the signature's own bindings stand in the way; each change must still be refused,
 * naming the signature, entry or path that changed. The tables are built from the objects
 * themselves, so a field added later is tampered with too.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Json, leaves, named, tampered } from '../../../tests/fixtures/tamper.ts';
import {
  addSteeringSignature,
  prepareSteeringSignature,
  verifySteeringSignature,
} from '../../core/readiness/steering.ts';
import {
  challengeFor,
  pendingAuditEntries,
  signatureEntryFor,
  signedExport,
  softAuthenticator,
} from '../../core/signoff/signing/index.ts';
import { type AuditLogFile, type ChainEntry, createAuditLogFile } from '../../formats/auditLog.ts';
import type { Review, Signature } from '../../formats/review.ts';
import type { SteeringSignature } from '../../formats/steering.ts';
import type { CliIo } from '../command.ts';
import { main } from '../main.ts';

let dir: string;
let signed: Awaited<ReturnType<typeof signedExport>>;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-tamper-'));
  signed = await signedExport(await softAuthenticator());
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The export with `review` in it and every chain hash and the file's integrity hash recomputed. */
function resealed(file: AuditLogFile, review: Review): AuditLogFile {
  const decisions = pendingAuditEntries(undefined, [{ ...review, signatures: [] }], new Set());
  let entries: ChainEntry[] = decisions;
  for (const [i, signature] of (review.signatures ?? []).entries()) {
    let entry: ReturnType<typeof signatureEntryFor>;
    try {
      entry = signatureEntryFor(entries[entries.length - 1], review.id, signature);
    } catch {
      // a signature too broken to chain (its id removed): the forger keeps the signed one's entry
      entry = signatureEntryFor(
        entries[entries.length - 1],
        review.id,
        signed.review.signatures?.[i] as Signature,
      );
    }
    entries = [...entries, entry];
  }
  const { format: _f, integrity: _i, ...content } = file;
  return createAuditLogFile({ ...content, entries, reviews: [review] });
}

async function verify(file: AuditLogFile) {
  await writeFile(path.join(dir, 'forged.json'), JSON.stringify(file, null, 2));
  const out: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => out.push(t), cwd: dir };
  const code = await main(['signoff', 'verify', 'forged.json'], io);
  return { code, out: out.join('\n') };
}

describe('tamper table: a sign-off signature in an exported audit log', () => {
  it('the untouched export, resealed the forger’s way, verifies (the table starts from a valid file)', async () => {
    const { code } = await verify(resealed(signed.file, signed.review));
    expect(code).toBe(0);
  });

  it('refuses every signed field flipped or removed, naming the signature, entry or path', async () => {
    const signature = signed.review.signatures?.[0] as Signature;
    const fields = leaves(signature as unknown as Json);
    expect(fields.length).toBeGreaterThan(15);
    const missed: string[] = [];
    for (const at of fields) {
      for (const how of ['flip', 'remove'] as const) {
        const forged = tampered(signature, at, how);
        const { code, out } = await verify(resealed(signed.file, { ...signed.review, signatures: [forged] }));
        const names = /TAMPERED: (signature sig1|signature |entry \d+|\/reviews\/0\/signatures\/0)/.test(out);
        if (code !== 1 || !names) missed.push(`${how} ${named(at)}: exit ${code}, ${out.split('\n')[0]}`);
        expect(out).not.toContain('MRN-');
      }
    }
    // the credential's id is a label no assertion covers (removed, the file's schema refuses it):
    // with a roster, `signoff verify` checks it together with the key's fingerprint
    expect(missed.map((m) => m.split(':')[0])).toEqual(['flip reauthentication.credentialId']);
  }, 120_000);

  it('refuses every signed decision field flipped, and the decisions reordered', async () => {
    const decision = signed.review.decisions[1] as unknown as Json;
    const missed: string[] = [];
    for (const at of leaves(decision)) {
      const decisions = signed.review.decisions.map((d, i) =>
        i === 1 ? (tampered(d as unknown as Json, at, 'flip') as unknown as typeof d) : d,
      );
      const { code, out } = await verify(resealed(signed.file, { ...signed.review, decisions }));
      if (
        code !== 1 ||
        !/TAMPERED: (signature sig1|entry \d+|\/entries\/1|\/reviews\/0\/decisions\/1)/.test(out)
      )
        missed.push(`flip ${named(at)}: exit ${code}, ${out.split('\n')[0]}`);
    }
    expect(missed).toEqual([]);
    const reordered = [...signed.review.decisions].reverse();
    const { code, out } = await verify(resealed(signed.file, { ...signed.review, decisions: reordered }));
    expect(code).toBe(1);
    expect(out).toMatch(/TAMPERED: (signature sig1|entry \d+)/);
  }, 120_000);
});

describe('tamper table: a steering decision and its signature', () => {
  it('refuses every signed field of the decision and of its signature, flipped or removed', async () => {
    const authenticator = await softAuthenticator();
    const content = {
      id: 'dec-1',
      decision: 'go' as const,
      readiness: 'go' as const,
      resultSha256: 'ab'.repeat(32),
      rationale: 'Every gate passes; support rota agreed.',
      recordedAt: '2026-11-24T10:00:00+01:00',
    };
    const prepared = prepareSteeringSignature({
      id: 'sig-MD-1',
      decision: content,
      signer: { name: 'Dr Ines Moreau', role: 'Medical director', id: 'MD-1' },
      signedAt: '2026-11-24T10:05:00+01:00',
    });
    const assertion = await authenticator.assert(challengeFor(prepared.signatureSha256));
    const decision = addSteeringSignature(
      content,
      { ...prepared, reauthentication: { method: 'webauthn', ...assertion } } as SteeringSignature,
      content.resultSha256,
    );
    const signature = decision.signatures[0] as SteeringSignature;
    expect(await verifySteeringSignature(decision, signature)).toMatchObject({ ok: true });
    const missed: string[] = [];
    const { signatures: _s, ...decisionBody } = decision;
    for (const at of leaves(decisionBody as unknown as Json)) {
      for (const how of ['flip', 'remove'] as const) {
        const forged = { ...tampered(decisionBody, at, how), signatures: decision.signatures };
        const check = await verifySteeringSignature(forged as typeof decision, signature);
        if (check.ok || !check.message) missed.push(`${how} decision.${named(at)}`);
      }
    }
    for (const at of leaves(signature as unknown as Json)) {
      for (const how of ['flip', 'remove'] as const) {
        const check = await verifySteeringSignature(decision, tampered(signature, at, how));
        if (check.ok || !check.message) missed.push(`${how} signature.${named(at)}`);
      }
    }
    // the credential's id is a label no assertion covers: a roster binds it together with the
    // public key (steering.test.ts, a forger's own key under the confirmed id); without one it
    // only names the key, and the key itself is what verifies (removing it is refused: an
    // assertion names its credential)
    expect(missed).toEqual(['flip signature.reauthentication.credentialId']);
  });
});
