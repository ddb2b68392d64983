/**
 * `preflight fhir invariants`: the coverage table of the base specification in words and as
 * JSON, the profiles of an IG package counted with --ig, and bad usage (exit 2).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IPS_TGZ } from '../../../tests/fixtures/ipsPackage.ts';
import type { InvariantCoverage } from '../../core/fhir/index.ts';
import { runCli } from '../cliTestKit.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-invariants-'));
  await writeFile(path.join(dir, 'not-a-package.tgz'), 'plain text');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('preflight fhir invariants', () => {
  it('prints how many base invariants run and why the others do not (exit 0)', async () => {
    const { code, out } = await runCli(['fhir', 'invariants'], dir);
    expect(code).toBe(0);
    expect(out).toContain(
      'R4 base specification: 202 of 238 invariants run (192 by FHIRPath, 10 natively), 36 not run',
    );
    expect(out).toMatch(
      / {4}dom-3 \(DomainResource\): invariants layer, in code on every resource with contained/,
    );
    expect(out).toMatch(/ {4}per-1 \(Period\): invariants layer, in code on every Period/);
    // dom-1 is STU3's: listed apart, as not an R4 rule, and counted nowhere
    expect(out).toMatch(/not R4 invariants \(earlier versions only\), not checked:\n {4}dom-1: up to STU3/);
    expect(out).not.toContain('Loaded profiles');
  });

  it('prints every invariant with its status as JSON, and counts the profiles of --ig packages', async () => {
    const { code, out } = await runCli(['fhir', 'invariants', '--json', '--ig', IPS_TGZ], dir);
    expect(code).toBe(0);
    const coverage = JSON.parse(out) as InvariantCoverage;
    expect(coverage.base).toMatchObject({ executed: 202, total: 238 });
    expect(coverage.base.rows).toHaveLength(238);
    expect(coverage.notInR4.map((r) => r.key)).toEqual(['dom-1']);
    expect(coverage.profiles.total).toBeGreaterThan(0);
    expect(coverage.profiles.rows.every((r) => r.source.startsWith('http://hl7.org/fhir/uv/ips/'))).toBe(
      true,
    );
    const text = (await runCli(['fhir', 'invariants', '--ig', IPS_TGZ], dir)).out;
    expect(text).toContain(
      `Loaded profiles: ${coverage.profiles.executed} of ${coverage.profiles.total} invariants run`,
    );
  });

  it('refuses a file that is not a package, and operands (exit 2)', async () => {
    const bad = await runCli(['fhir', 'invariants', '--ig', 'not-a-package.tgz'], dir);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('cannot use "not-a-package.tgz" as a FHIR package');
    const operands = await runCli(['fhir', 'invariants', 'x.json'], dir);
    expect(operands.code).toBe(2);
    expect(operands.err).toContain('takes no files');
  });
});
