/**
 * Every timeout of an end-to-end spec scales with the machine: a bound written as a bare number
 * holds on the machine it was measured on and fails, as a false hang, on a slower one. A spec
 * takes Playwright's default bound (already scaled, tests/e2e/waits.setup.ts) or gives its own
 * through `scaled(…)` (tests/waits.ts). This test reads tests/e2e and fails on a bare number where
 * a timeout goes, but for the listed exceptions, each with why it is not a bound on a wait.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** A bare number in a timeout's place that is not a bound on a wait, with why. */
interface Allowed {
  file: string;
  /** the line's text, trimmed */
  line: string;
  reason: string;
}

const ALLOWED: readonly Allowed[] = [
  {
    file: 'tests/e2e/projects.spec.ts',
    line: 'if (delayMs > 0) await page.waitForTimeout(delayMs);',
    reason:
      'the delay is the case under test (how long after an edit the user leaves), not a wait for the app',
  },
  {
    file: 'tests/e2e/smallDisk.ts',
    line: '}, 5);',
    reason: 'how often the full disk is topped up again (a setInterval period), not a bound on a wait',
  },
];

/** Where a timeout goes: a bare number there is a bound that does not scale. */
const LITERAL_TIMEOUTS: readonly { what: string; pattern: RegExp }[] = [
  { what: 'an option `timeout: <number>`', pattern: /\btimeout:\s*\d/ },
  { what: 'a sleep `waitForTimeout(…)`', pattern: /\bwaitForTimeout\s*\(/ },
  { what: 'a test’s or hook’s own timeout `}, <number>)`', pattern: /\}\s*,\s*\d[\d_]*\s*\)/ },
  {
    what: 'a timeout constant `…TIMEOUT…_MS = <number>`',
    pattern: /\b\w*(?:TIMEOUT|WAIT|WATCHDOG|JOURNEY)\w*_MS\s*=\s*\d/,
  },
];

/** Each line of `text` (of `file`) that writes a bare number where a timeout goes. */
function literalTimeouts(file: string, text: string): { file: string; line: string; at: number }[] {
  return text
    .split('\n')
    .flatMap((line, index) =>
      LITERAL_TIMEOUTS.some(({ pattern }) => pattern.test(line))
        ? [{ file, line: line.trim(), at: index + 1 }]
        : [],
    );
}

describe('the end-to-end specs’ timeouts', () => {
  const root = path.resolve(import.meta.dirname, '../..');
  const e2e = path.join(root, 'tests/e2e');
  const found = readdirSync(e2e, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .flatMap((f) => {
      const file = `tests/e2e/${f.split(path.sep).join('/')}`;
      return literalTimeouts(file, readFileSync(path.join(root, file), 'utf8'));
    });
  const allowed = (hit: { file: string; line: string }) =>
    ALLOWED.some((a) => a.file === hit.file && a.line === hit.line);

  it('scale with the machine: no bare number where a timeout goes, but the listed ones', () => {
    expect(found.filter((hit) => !allowed(hit)).map((hit) => `${hit.file}:${hit.at} ${hit.line}`)).toEqual(
      [],
    );
  });

  it('list only exceptions that are still there', () => {
    expect(ALLOWED.filter((a) => !found.some((hit) => hit.file === a.file && hit.line === a.line))).toEqual(
      [],
    );
  });

  it('sees each kind of bare timeout it is shown', () => {
    const planted = [
      'await page.getByRole("status").waitFor({ timeout: 60_000 });',
      'await page.waitForTimeout(500);',
      '}, 240_000);',
      'const WATCHDOG_MS = 120_000;',
    ];
    expect(literalTimeouts('planted.ts', planted.join('\n')).map((hit) => hit.at)).toEqual([1, 2, 3, 4]);
    const scaledOnes = [
      'await page.getByRole("status").waitFor({ timeout: scaled(60_000) });',
      '}, scaled(240_000));',
      'const WATCHDOG_MS = scaled(120_000);',
      'const ROWS = 190_000;',
    ];
    expect(literalTimeouts('planted.ts', scaledOnes.join('\n'))).toEqual([]);
  });
});
