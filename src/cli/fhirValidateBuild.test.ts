/**
 * `fhir validate` is a build of its own beside the main build (buildCli.mjs): a usage error its
 * run throws must still be one to `main` (exit 2 and the message), which needs the one
 * `command.ts` both builds share. Starts `preflight` as a process, so it runs the build when that
 * is current (as `npm test` makes it), else the sources.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = path.resolve(import.meta.dirname, 'preflight.mjs');

describe('fhir validate, built apart', () => {
  it('a usage error from its run is bad usage (exit 2), not an internal error', () => {
    const ended = spawnSync(process.execPath, [CLI, 'fhir', 'validate', '--skip', 'nosuch', 'x.ndjson'], {
      encoding: 'utf8',
    });
    expect(ended.stderr).toMatch(/unknown layer "nosuch" for --skip/);
    expect(ended.stderr).not.toMatch(/internal error/);
    expect(ended.status).toBe(2);
  });
});
