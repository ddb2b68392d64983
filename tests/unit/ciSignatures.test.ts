/**
 * The registry-signature step of .ci/run, run as written with a stand-in `npm` on the PATH: it
 * fails CI on an invalid or missing signature, says "NOT CHECKED" (and does not fail) when no
 * signing keys can be fetched, passes a clean check, and hands its exit code to the summary.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const CI_RUN = readFileSync(path.resolve(import.meta.dirname, '../../.ci/run'), 'utf8');
/** The check's start, in the background beside the suite (it waits on the network, not the CPU). */
const LAUNCH = /^npm audit signatures [^\n]*&\nsignatures_pid=\$!$/m.exec(CI_RUN)?.[0] ?? '';
/** The step that reads it, from its heading to the end of its `if`. */
const STEP = /^echo "== npm audit signatures[^\n]*\n[\s\S]*?^fi$/m.exec(CI_RUN)?.[0] ?? '';

const dir = mkdtempSync(path.join(tmpdir(), 'preflight-ci-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the step with an `npm` that prints `stdout` / `stderr` and exits with `code`. */
function runStep(stdout: string, stderr: string, code: number): { output: string; rc: string } {
  const bin = path.join(dir, `bin-${code}-${stdout.length}-${stderr.length}`);
  mkdirSync(path.join(bin, '.ci', 'out'), { recursive: true });
  writeFileSync(path.join(bin, 'out.txt'), stdout);
  writeFileSync(path.join(bin, 'err.txt'), stderr);
  writeFileSync(
    path.join(bin, 'npm'),
    `#!/usr/bin/env bash\ncat "${bin}/out.txt"; cat "${bin}/err.txt" >&2; exit ${code}\n`,
  );
  chmodSync(path.join(bin, 'npm'), 0o755);
  const output = execFileSync(
    'bash',
    ['-c', `set -uo pipefail\n${LAUNCH}\n${STEP}\necho "rc=$signatures_rc"`],
    {
      cwd: bin,
      env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
      encoding: 'utf8',
    },
  );
  return { output, rc: /rc=(\S+)\s*$/.exec(output)?.[1] ?? '' };
}

describe('.ci/run: npm audit signatures', () => {
  it('is in .ci/run, starts before the suite and its result goes to the summary', () => {
    expect(LAUNCH).toContain('npm audit signatures');
    expect(STEP).toContain('wait "$signatures_pid"');
    expect(CI_RUN.indexOf(LAUNCH)).toBeLessThan(CI_RUN.indexOf('npm test\n'));
    expect(CI_RUN).toMatch(/node \.ci\/summary\.mjs .*"npm audit signatures=\$signatures_rc"/);
  });

  it.each([
    {
      description: 'every signature verified',
      npm: ['audited 120 packages\n\n120 packages have verified registry signatures\n', '', 0],
      rc: '0',
      says: 'verified registry signatures',
    },
    {
      description: 'an invalid signature',
      npm: ['audited 120 packages\n\n1 package has an invalid registry signature:\n\nx@1.0.0\n', '', 1],
      rc: '1',
      says: 'invalid registry signature',
    },
    {
      description: 'missing signatures while the registry gives keys',
      npm: [
        '2 packages have missing registry signatures but the registry is providing signing keys:\n',
        '',
        1,
      ],
      rc: '1',
      says: 'missing registry signatures',
    },
    {
      description: 'a registry without signing keys',
      npm: [
        '',
        'npm error found no dependencies to audit that were installed from a supported registry\n',
        1,
      ],
      rc: 'not checked',
      says: 'NOT CHECKED',
    },
    {
      description: 'no network to the keys',
      npm: [
        '',
        'npm error code ENOTFOUND\nnpm error network request to https://tuf-repo-cdn.sigstore.dev/15.root.json failed\n',
        1,
      ],
      rc: 'not checked',
      says: 'NOT CHECKED',
    },
    {
      description: 'any other error',
      npm: ['', 'npm error code EUNKNOWN\n', 1],
      rc: '1',
      says: 'EUNKNOWN',
    },
  ] as const)('$description: $rc', ({ npm, rc, says }) => {
    const result = runStep(npm[0], npm[1], npm[2]);
    // not checked is never a failure: 0, or "skip" where the summary counts it as skipped
    if (rc === 'not checked') expect(['0', 'skip']).toContain(result.rc);
    else expect(result.rc).toBe(rc);
    expect(result.output).toContain(says);
  });
});
