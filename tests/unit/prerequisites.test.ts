/**
 * The check `npm test` runs before any suite, and `.ci/run` reads its list from
 * (.ci/prerequisites.mjs): what a machine lacks, and whether it is installed there or the run stops
 * naming the command. The machine is a probe given here, never the one the test runs on.
 */
import { describe, expect, it } from 'vitest';
import { missingNeeds, type Probe, packagesOf, planFor } from '../../.ci/prerequisites.mjs';

/** A machine holding exactly `files` (and `/usr/lib/postgresql/<v>` for each initdb among them). */
function machine(files: string[], env: Record<string, string> = {}): Probe {
  const present = new Set(files);
  return {
    exists: (path) => present.has(path),
    list: (dir) => [
      ...new Set(
        files
          .filter((f) => f.startsWith(`${dir}/`))
          .map((f) => f.slice(dir.length + 1).split('/')[0] as string),
      ),
    ],
    env,
  };
}

const EVERYTHING = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-headless-shell',
  '/usr/lib/postgresql/17/bin/initdb',
  '/usr/sbin/nginx',
  '/usr/bin/pdftotext',
];

describe('what the suites need from the machine', () => {
  it('finds nothing missing on a machine with everything', () => {
    expect(missingNeeds(machine(EVERYTHING))).toEqual([]);
    expect(planFor(missingNeeds(machine(EVERYTHING)), { root: false, aptGet: false })).toEqual({
      action: 'none',
    });
  });

  it('names each missing package, fonts with the browser', () => {
    expect(packagesOf(missingNeeds(machine([])))).toEqual([
      'chromium',
      'fonts-liberation',
      'chromium-headless-shell',
      'postgresql',
      'nginx-light',
      'poppler-utils',
    ]);
    expect(packagesOf(missingNeeds(machine(EVERYTHING.filter((f) => !f.includes('headless')))))).toEqual([
      'chromium-headless-shell',
    ]);
  });

  it('takes a PostgreSQL folder without initdb as not installed', () => {
    const noInitdb = [...EVERYTHING.filter((f) => !f.includes('postgresql')), '/usr/lib/postgresql/17/share'];
    expect(packagesOf(missingNeeds(machine(noInitdb)))).toEqual(['postgresql']);
  });

  it('takes a Chromium named in CHROMIUM_PATH instead of Debian’s, when it is there', () => {
    const others = EVERYTHING.filter((f) => !f.includes('chromium'));
    expect(
      missingNeeds(machine([...others, '/opt/chrome/chrome'], { CHROMIUM_PATH: '/opt/chrome/chrome' })),
    ).toEqual([]);
    expect(packagesOf(missingNeeds(machine(others, { CHROMIUM_PATH: '/opt/chrome/chrome' })))).toEqual([
      'chromium',
      'fonts-liberation',
      'chromium-headless-shell',
    ]);
  });

  it('installs where it is root with apt-get, as CI does', () => {
    const missing = missingNeeds(machine(EVERYTHING.filter((f) => !f.includes('chromium'))));
    expect(planFor(missing, { root: true, aptGet: true })).toEqual({
      action: 'install',
      packages: ['chromium', 'fonts-liberation', 'chromium-headless-shell'],
    });
  });

  it('stops otherwise, naming what is missing and the command that installs it', () => {
    const missing = missingNeeds(machine(EVERYTHING.filter((f) => !f.includes('chromium'))));
    const plan = planFor(missing, { root: false, aptGet: true });
    expect(plan.action).toBe('stop');
    const message = plan.action === 'stop' ? plan.message : '';
    expect(message).toContain('the end-to-end tests’ browser');
    expect(message).toContain('sudo apt-get install -y chromium fonts-liberation chromium-headless-shell');
    expect(message).not.toContain('postgresql');
    // root without apt-get cannot install either: it names the packages to find another way
    const elsewhere = planFor(missing, { root: true, aptGet: false });
    expect(elsewhere.action).toBe('stop');
    expect(elsewhere.action === 'stop' && elsewhere.message).toMatch(
      /install Debian's chromium, fonts-liberation/,
    );
  });
});
