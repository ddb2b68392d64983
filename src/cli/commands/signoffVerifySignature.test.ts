/**
 * `preflight signoff verify` on signed exports: the signature bindings and the WebAuthn assertion.
 * A byte changed anywhere is found (property over byte positions); a forger who recomputes every
 * hash of the chain and the file is still caught by the signature.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fromBase64Url,
  pendingAuditEntries,
  signatureEntryFor,
  signedExport,
  softAuthenticator,
  toBase64Url,
} from '../../core/signoff/signing/index.ts';
import { type AuditLogFile, createAuditLogFile } from '../../formats/auditLog.ts';
import type { Review, Signature, WebAuthnAssertion } from '../../formats/review.ts';
import type { CliIo } from '../command.ts';
import { main } from '../main.ts';

/** Space, tab, line feed, carriage return (RFC 8259 §2). */
const JSON_WHITE_SPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

let dir: string;
let signed: Awaited<ReturnType<typeof signedExport>>;
let text: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-signature-'));
  signed = await signedExport(await softAuthenticator());
  text = JSON.stringify(signed.file, null, 2);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function verify(content: string | Uint8Array, name = 'signed.json', json = false) {
  await writeFile(path.join(dir, name), content);
  const out: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => out.push(t), cwd: dir };
  const code = await main(['signoff', 'verify', name, ...(json ? ['--json'] : [])], io);
  return { code, out: out.join('\n') };
}

/** The file with `review` swapped in and every chain hash and the integrity hash recomputed. */
function resealed(file: AuditLogFile, review: Review): AuditLogFile {
  const decisions = pendingAuditEntries(undefined, [{ ...review, signatures: [] }], new Set());
  const signature = review.signatures?.[0] as Signature;
  const entries = [...decisions, signatureEntryFor(decisions[decisions.length - 1], review.id, signature)];
  const { format: _f, integrity: _i, ...content } = file;
  return createAuditLogFile({ ...content, entries, reviews: [review] });
}

describe('preflight signoff verify: signatures', () => {
  it('verifies a signed export: chain, bindings and the WebAuthn assertion (exit 0)', async () => {
    const { code, out } = await verify(text);
    expect(out).toContain('verified: 4 entries');
    expect(out).toMatch(
      /signature sig1: Sam Okafor, Clinical lead \(CL-7\), .*binds plan, results and chain head; WebAuthn assertion verified \(http:\/\/localhost:4173, user verified\)/,
    );
    expect(code).toBe(0);
    const json = JSON.parse((await verify(text, 'signed.json', true)).out);
    expect(json.signatures).toEqual([
      expect.objectContaining({
        id: 'sig1',
        reauthentication: 'webauthn',
        signoffSha256: signed.signature.signoffSha256,
      }),
    ]);
  });

  it('says plainly when a signature was made without re-authentication', async () => {
    const plain = await signedExport();
    const { code, out } = await verify(JSON.stringify(plain.file));
    expect(out).toContain('signed without re-authentication');
    expect(code).toBe(0);
  });

  const forgeries: { description: string; forge: (review: Review) => Review; expected: RegExp }[] = [
    {
      description: 'a decision flipped and every hash recomputed',
      forge: (review) => ({
        ...review,
        decisions: review.decisions.map((d) =>
          d.id === 'd2' ? { ...d, outcome: 'accept' as const, findings: [] } : d,
        ),
      }),
      expected: /signature sig1: .*results|signature sig1: the audit-chain head/,
    },
    {
      description: 'the WebAuthn signature changed and every hash recomputed',
      forge: (review) => {
        const signature = review.signatures?.[0] as Signature;
        const reauth = signature.reauthentication as WebAuthnAssertion;
        const bytes = fromBase64Url(reauth.signature);
        bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 1;
        return {
          ...review,
          signatures: [{ ...signature, reauthentication: { ...reauth, signature: toBase64Url(bytes) } }],
        };
      },
      expected: /signature sig1: its WebAuthn assertion does not verify/,
    },
    {
      description: 'the meaning changed and every hash recomputed',
      forge: (review) => {
        const signature = review.signatures?.[0] as Signature;
        return { ...review, signatures: [{ ...signature, meaning: 'I approve anything.' }] };
      },
      expected: /signature sig1: its content .* was changed after signing/,
    },
  ];
  it.each(forgeries)('exit 1 naming the signature: $description', async ({ forge, expected }) => {
    const forged = resealed(signed.file, forge(signed.review));
    const { code, out } = await verify(JSON.stringify(forged, null, 2), 'forged.json');
    expect(out).toMatch(expected);
    expect(out).not.toContain('MRN-');
    expect(code).toBe(1);
  });

  it('a byte changed anywhere in a signed export is found and the first broken thing named (exit 1)', async () => {
    const bytes = new TextEncoder().encode(text);
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: bytes.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (offset, flip) => {
          const changed = bytes.slice();
          changed[offset] = (changed[offset] as number) ^ flip;
          // JSON white space between tokens is not content (every hash is over canonical JSON):
          // one white-space byte swapped for another changes nothing signed
          fc.pre(
            !(
              JSON_WHITE_SPACE.has(bytes[offset] as number) && JSON_WHITE_SPACE.has(changed[offset] as number)
            ),
          );
          const { code, out } = await verify(changed, 'byte.json');
          expect(code).toBe(1);
          expect(out).toMatch(
            // where: an entry, a signature, a JSON path, a line and column, or the part of the file
            // (a renamed "entries" key: "it has no list of entries")
            /TAMPERED: (entry \d+|signature|not valid JSON|it is not valid UTF-8 text: the byte at line \d+, byte \d+|the file does not match|its format tag|it has no list of entries|\/)/,
          );
        },
      ),
      // a byte made not UTF-8 (0x00 ^ 0x80 at the first byte) was once worded otherwise: kept
      { numRuns: 300, examples: [[0, 128]] },
    );
  }, 120_000);
});
