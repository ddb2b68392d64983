/**
 * `preflight signoff verify` on a sign-off whose review went on after signing: the signature still
 * verifies (what it signed is unchanged) and the output says it does not cover the decisions
 * logged after it, or that a later signature replaced it. The coverage is derived from the file,
 * never stored in it: a file carrying it is what an older Preflight refuses (unknown top-level field).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  GO_LIVE_MEANING,
  REVIEWED_MEANING,
  replacedByStanding,
  reviewSignatureCoverage,
  signedAgain,
  signedExport,
  signedThenDecided,
} from '../../core/signoff/signing/index.ts';
import { type AuditLogFile, createAuditLogFile } from '../../formats/auditLog.ts';
import type { Review } from '../../formats/review.ts';
import { fixtureDecision } from '../../formats/testing/fixtures.ts';
import type { CliIo } from '../command.ts';
import { main } from '../main.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-coverage-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function verify(file: AuditLogFile, json = false) {
  await writeFile(path.join(dir, 'signoff.json'), `${JSON.stringify(file, null, 2)}\n`);
  const out: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => out.push(t), cwd: dir };
  const code = await main(['signoff', 'verify', 'signoff.json', ...(json ? ['--json'] : [])], io);
  return { code, out: out.join('\n') };
}

const late = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    ...fixtureDecision(`late${i + 1}`, `MRN-${20 + i}`, 'reject'),
    decidedAt: '2025-03-03T08:05:00+01:00',
  }));

describe('preflight signoff verify: what a signature covers', () => {
  it.each([
    { description: 'nothing decided after signing', after: 0 },
    { description: 'two decisions after signing', after: 2 },
  ])('$description: verifies (exit 0) and says what the signature covers', async ({ after }) => {
    const { file } = await signedThenDecided(late(after));
    // the export holds the reviews and the chain, no stated coverage: verify derives it
    expect(Object.keys(file)).not.toContain('signatureCoverage');
    const { code, out } = await verify(file);
    expect(code).toBe(0);
    expect(out).toContain(
      after === 0
        ? 'covers every decision in the file'
        : 'DOES NOT COVER 2 decisions logged after it (late1, late2): the signed results are those before',
    );
    const json = JSON.parse((await verify(file, true)).out);
    expect(json.signatures[0]).toMatchObject({
      coversCurrentResults: after === 0,
      decisionsAfter: after === 0 ? [] : ['late1', 'late2'],
    });
    expect(json.signatures[0].replacedBy).toBeUndefined();
  });

  it('signed, decided, signed again: the first is replaced by the second, which covers every decision', async () => {
    const { file } = signedAgain(await signedThenDecided(late(1)));
    const { code, out } = await verify(file);
    expect(code).toBe(0);
    expect(out).toContain('signature sig1:');
    expect(out).toMatch(
      /signature sig1: .*; replaced by signature sig2; does not cover 1 decision logged after it \(late1\)/,
    );
    expect(out).toMatch(/signature sig2: .*; covers every decision in the file/);
    expect(out).not.toContain('DOES NOT COVER');
    const json = JSON.parse((await verify(file, true)).out);
    expect(json.signatures).toMatchObject([
      { id: 'sig1', coversCurrentResults: false, decisionsAfter: ['late1'], replacedBy: 'sig2' },
      { id: 'sig2', coversCurrentResults: true, decisionsAfter: [] },
    ]);
  });

  it('a co-signature over the same results replaces nothing: both stand, as the screen and the report say', async () => {
    const { file } = signedAgain(await signedExport(), '2025-03-03T11:00:00+01:00', {
      signer: { name: 'Dana Reyes', role: 'Registered nurse', id: 'RN-204' },
      meaning: REVIEWED_MEANING,
    });
    const { code, out } = await verify(file);
    expect(code).toBe(0);
    expect(out).not.toContain('replaced');
    expect(out).toMatch(/signature sig1: .*; covers every decision in the file/);
    expect(out).toMatch(/signature sig2: .*; covers every decision in the file/);
    // the manifestation: printed name, role, date-time with zone and the meaning, word for word
    expect(out).toContain(
      `signature sig2: Dana Reyes, Registered nurse (RN-204), 2025-03-03T11:00:00+01:00, meaning “${REVIEWED_MEANING}”; binds`,
    );
    const json = JSON.parse((await verify(file, true)).out);
    expect(json.signatures.map((s: { replacedBy?: string }) => s.replacedBy)).toEqual([undefined, undefined]);
    // the report, from the same core, agrees
    const [review] = file.reviews ?? [];
    expect(replacedByStanding(review as Review)).toEqual([undefined, undefined]);
  });

  it('warns where a signature says "I reviewed" of a signer with no decisions (the older single wording)', async () => {
    const { file } = signedAgain(await signedExport(), '2025-03-03T11:00:00+01:00', {
      signer: { name: 'Lee Park', role: 'Medical director', id: 'MD-01' },
      meaning: GO_LIVE_MEANING,
    });
    const { code, out } = await verify(file);
    expect(code).toBe(0);
    expect(out).toContain(
      'WARNING: signature sig2 says its signer reviewed records, but staff id MD-01 decided none of this sample (the single wording older versions gave every signer): its meaning is not true of its signer.',
    );
    // the reviewer's own co-signature, and the lead's approval, are true: no such warning
    expect(out).not.toMatch(/signature sig1 says/);
  });

  it('a file carrying a "signatureCoverage" field is refused by the schema, as an older Preflight refuses it: the app never writes one', async () => {
    const { file } = await signedThenDecided(late(1));
    const { format: _f, integrity: _i, ...content } = file;
    const coverage = file.reviews?.flatMap((r) => reviewSignatureCoverage(r, file.entries));
    const carrying = createAuditLogFile({ ...content, signatureCoverage: coverage } as typeof content);
    const { code } = await verify(carrying as AuditLogFile);
    expect(code).toBe(1);
    expect(JSON.parse((await verify(carrying as AuditLogFile, true)).out)).toMatchObject({
      status: 'tampered',
      reason: 'schema',
    });
  });
});
