/**
 * `preflight signoff verify` on a sign-off whose review went on after signing: the signature still
 * verifies (what it signed is unchanged) and the output says it does not cover the decisions
 * recorded after it; a stated `signatureCoverage` that says otherwise is refused.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewSignatureCoverage } from '../../core/signoff/signatureCoverage.ts';
import { signedThenDecided } from '../../core/signoff/testing/signedExport.ts';
import { type AuditLogFile, createAuditLogFile } from '../../formats/auditLog.ts';
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

/** The export as the app writes it: with the coverage it states (recomputed integrity). */
function withCoverage(
  file: AuditLogFile,
  coverage = file.reviews?.flatMap((r) => reviewSignatureCoverage(r, file.entries)),
) {
  const { format: _f, integrity: _i, ...content } = file;
  return createAuditLogFile({ ...content, ...(coverage?.length ? { signatureCoverage: coverage } : {}) });
}

const late = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    ...fixtureDecision(`late${i + 1}`, `MRN-${20 + i}`, 'reject'),
    decidedAt: '2025-03-03T08:05:00+01:00',
  }));

describe('preflight signoff verify: what a signature covers', () => {
  it.each([
    { description: 'nothing decided after signing, coverage stated', after: 0, stated: true },
    { description: 'nothing decided after signing, no coverage stated', after: 0, stated: false },
    { description: 'two decisions after signing, coverage stated', after: 2, stated: true },
    {
      description: 'two decisions after signing, no coverage stated (an older export)',
      after: 2,
      stated: false,
    },
  ])('$description: verifies (exit 0) and says what the signature covers', async ({ after, stated }) => {
    const { file } = await signedThenDecided(late(after));
    const exported = stated ? withCoverage(file) : file;
    const { code, out } = await verify(exported);
    expect(code).toBe(0);
    expect(out).toContain(
      after === 0
        ? 'covers every decision in the file'
        : 'DOES NOT COVER 2 decisions recorded after it (late1, late2): the signed results are those before',
    );
    const json = JSON.parse((await verify(exported, true)).out);
    expect(json.signatures[0]).toMatchObject({
      coversCurrentResults: after === 0,
      decisionsAfter: after === 0 ? [] : ['late1', 'late2'],
    });
  });

  it.each([
    {
      description: 'a stated coverage that hides the later decisions',
      forge: (c: NonNullable<AuditLogFile['signatureCoverage']>) =>
        c.map((s) => ({ ...s, coversCurrentResults: true, decisionsAfter: [] })),
    },
    {
      description: 'a stated coverage with a later decision left out',
      forge: (c: NonNullable<AuditLogFile['signatureCoverage']>) =>
        c.map((s) => ({ ...s, decisionsAfter: s.decisionsAfter.slice(1) })),
    },
  ])('exit 1: $description (integrity recomputed)', async ({ forge }) => {
    const { file } = await signedThenDecided(late(2));
    const honest = withCoverage(file);
    const forged = withCoverage(file, forge(honest.signatureCoverage ?? []));
    const { code, out } = await verify(forged);
    expect(code).toBe(1);
    expect(out).toContain('TAMPERED: its "signatureCoverage" does not match');
    expect(JSON.parse((await verify(forged, true)).out)).toMatchObject({ reason: 'signature-coverage' });
  });
});
