// The Debian packages the test suites need beyond npm's: one list, read by `.ci/run` (which
// installs them beside `npm ci`, before node_modules exist: so this is plain JavaScript on Node's
// own modules) and by `npm test` (tests/runAll.ts), which checks them before any suite starts.
//
//   node .ci/prerequisites.mjs --missing   prints the missing packages' names, one line
//   node .ci/prerequisites.mjs --ensure    installs what is missing where it can (root and
//                                          apt-get), else stops naming the command to run
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What the suites need, each as a probe of this machine and the packages that provide it.
 * @typedef {{ exists(path: string): boolean; list(dir: string): string[]; env: Record<string, string | undefined> }} Probe
 * @typedef {{ what: string; packages: string[]; installed(probe: Probe): boolean }} Need
 * @type {Need[]}
 */
export const NEEDS = [
  {
    what: 'the end-to-end tests’ browser (Debian’s Chromium)',
    // fonts-liberation is only "recommended" by chromium-common: without a font, text does not
    // render and the accessibility checks (contrast) would judge an empty page
    packages: ['chromium', 'fonts-liberation'],
    installed: (probe) => probe.exists('/usr/bin/chromium') || chromiumPathSet(probe),
  },
  {
    what: 'Chromium’s headless shell, which runs the end-to-end tests for less CPU',
    packages: ['chromium-headless-shell'],
    installed: (probe) => probe.exists('/usr/bin/chromium-headless-shell') || chromiumPathSet(probe),
  },
  {
    what: 'PostgreSQL, which the server’s tests start a throwaway server of (tests/setup/postgres.ts)',
    packages: ['postgresql'],
    installed: (probe) =>
      probe.list('/usr/lib/postgresql').some((v) => probe.exists(`/usr/lib/postgresql/${v}/bin/initdb`)),
  },
  {
    what: 'nginx, which the server’s test behind a proxy runs with the docs’ example (src/server/behindNginx.test.ts)',
    packages: ['nginx-light'],
    installed: (probe) => probe.exists('/usr/sbin/nginx'),
  },
  {
    what: 'pdftotext, which reads the printable documents’ PDF text back',
    packages: ['poppler-utils'],
    installed: (probe) => probe.exists('/usr/bin/pdftotext') || probe.exists('/usr/local/bin/pdftotext'),
  },
];

/** `$CHROMIUM_PATH` names a browser that is there (tests/e2e/chromium.ts runs it instead). */
function chromiumPathSet(probe) {
  const path = probe.env.CHROMIUM_PATH;
  return path !== undefined && path !== '' && probe.exists(path);
}

/**
 * The needs this machine lacks.
 * @param {Probe} probe
 * @returns {Need[]}
 */
export function missingNeeds(probe) {
  return NEEDS.filter((need) => !need.installed(probe));
}

/** @param {Need[]} needs */
export const packagesOf = (needs) => needs.flatMap((need) => need.packages);

/**
 * What to do about what is missing: nothing, install it here (root with apt-get, as on CI), or
 * stop and say which command installs it.
 * @param {Need[]} missing
 * @param {{ root: boolean; aptGet: boolean }} machine
 * @returns {{ action: 'none' } | { action: 'install'; packages: string[] } | { action: 'stop'; message: string }}
 */
export function planFor(missing, machine) {
  if (missing.length === 0) return { action: 'none' };
  const packages = packagesOf(missing);
  if (machine.root && machine.aptGet) return { action: 'install', packages };
  const command = machine.aptGet
    ? `sudo apt-get install -y ${packages.join(' ')}`
    : `install Debian's ${packages.join(', ')} (or their equivalents; CHROMIUM_PATH may name another Chromium)`;
  return {
    action: 'stop',
    message: [
      'npm test needs what this machine does not have:',
      ...missing.map((need) => `  - ${need.what}: ${need.packages.join(' ')}`),
      `Install it, then run npm test again:\n  ${command}`,
    ].join('\n'),
  };
}

/** This machine, as the probe reads it. @type {Probe} */
export const machineProbe = {
  exists: (path) => existsSync(path),
  list: (dir) => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  },
  env: process.env,
};

/** Whether `command` is on the PATH. */
function onPath(command) {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .some((dir) => dir !== '' && existsSync(join(dir, command)));
}

/**
 * Checks, and installs what is missing where it can. Returns an exit code: 0 when everything is
 * there (or was installed), 1 with the reason printed on stderr.
 */
export function ensurePrerequisites(probe = machineProbe) {
  const plan = planFor(missingNeeds(probe), {
    root: process.getuid?.() === 0,
    aptGet: onPath('apt-get'),
  });
  if (plan.action === 'none') return 0;
  if (plan.action === 'stop') {
    console.error(plan.message);
    return 1;
  }
  console.log(`== installing Debian packages the suites need: ${plan.packages.join(' ')}`);
  try {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    const install = spawnSync('apt-get', ['install', '-y', '-qq', ...plan.packages], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (install.status !== 0) throw new Error(`apt-get install exited ${install.status}`);
  } catch (e) {
    console.error(`Could not install ${plan.packages.join(' ')}: ${e instanceof Error ? e.message : e}`);
    return 1;
  }
  const still = missingNeeds(probe);
  if (still.length > 0) {
    console.error(`Still missing after apt-get install: ${packagesOf(still).join(' ')}`);
    return 1;
  }
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [flag] = process.argv.slice(2);
  if (flag === '--missing') console.log(packagesOf(missingNeeds(machineProbe)).join(' '));
  else if (flag === '--ensure') process.exit(ensurePrerequisites());
  else {
    console.error('usage: node .ci/prerequisites.mjs --missing | --ensure');
    process.exit(2);
  }
}
