/**
 * Every production dependency runs on every Node version the project says it supports: the
 * project's `engines.node` must lie inside each installed package's own `engines.node`. A package
 * that wants a newer Node than ours makes `npm ci` warn on the clinic's machines and may use an
 * API they do not have, so a dependency update that narrows the range fails here, naming it.
 *
 * The production set is found the way Node finds it: from package.json's dependencies, each
 * package is looked up in the nearest node_modules folder above its dependant, and its own
 * dependencies in turn; its `engines` is read from that installed package.json, which is what
 * Node actually runs (the lockfile's layout may differ from an install made with --no-save).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The one function of semver used here: is every version in `sub` also in `sup`? */
const { subset } = createRequire(import.meta.url)('semver') as {
  subset(sub: string, sup: string): boolean;
};

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Manifest {
  name?: string;
  version?: string;
  engines?: { node?: string };
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

const readManifest = (dir: string): Manifest =>
  JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest;

/** The folder Node loads `name` from when required by the package in `from`, if installed. */
function resolveFrom(from: string, name: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === ROOT || path.dirname(dir) === dir) return undefined;
  }
}

/** Every installed production package, by folder; `missing` lists required ones not installed. */
function productionTree(): { folders: string[]; missing: string[] } {
  const seen = new Set<string>();
  const missing: string[] = [];
  const visit = (from: string, manifest: Manifest): void => {
    const optional = manifest.optionalDependencies ?? {};
    for (const name of Object.keys({ ...manifest.dependencies, ...optional })) {
      const folder = resolveFrom(from, name);
      if (!folder) {
        // Platform builds for other systems are declared optional and not installed here.
        if (!(name in optional)) missing.push(`${name} (needed by ${manifest.name ?? 'the project'})`);
        continue;
      }
      if (seen.has(folder)) continue;
      seen.add(folder);
      visit(folder, readManifest(folder));
    }
  };
  visit(ROOT, readManifest(ROOT));
  return { folders: [...seen].sort(), missing };
}

const projectRange = readManifest(ROOT).engines?.node;

describe('Node version', () => {
  it('is stated in package.json engines', () => {
    expect(projectRange).toMatch(/\d/);
  });

  it("lies inside every installed production dependency's engines.node", () => {
    const { folders, missing } = productionTree();
    const narrower = folders.flatMap((folder) => {
      const { version, engines } = readManifest(folder);
      const wants = engines?.node;
      return wants && !subset(projectRange ?? '*', wants)
        ? [`${path.relative(ROOT, folder)}@${version ?? '?'} wants node ${wants}`]
        : [];
    });
    expect(folders.length).toBeGreaterThan(10);
    expect({ missing, narrower }).toEqual({ missing: [], narrower: [] });
  });

  it('is the one the Node types describe: @types/node is of the lowest Node it supports', () => {
    // types of an older Node hide what the runtime has (node:sqlite) and let code use nothing new
    const lowest = /\d+/.exec(projectRange ?? '')?.[0];
    const types = readManifest(path.join(ROOT, 'node_modules', '@types', 'node')).version;
    expect(types?.split('.')[0]).toBe(lowest);
  });
});
