import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  devServerContentSecurityPolicy,
  hashWorkerContentSecurityPolicy,
  pathContentSecurityPolicy,
  validatorWorkerContentSecurityPolicy,
} from './securityHeaders.ts';

/** A policy as a map from directive name to its sources. */
function parsePolicy(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((directive) => {
      const [name = '', ...sources] = directive.trim().split(/\s+/);
      return [name, sources];
    }),
  );
}

describe('per-path Content-Security-Policy', () => {
  it.each([
    ['/assets/validate.worker-DSkfRC4_.js', validatorWorkerContentSecurityPolicy()],
    ['/assets/validate.worker-abc123.js?v=1', validatorWorkerContentSecurityPolicy()],
    ['/assets/hash.worker-D9AgR8Th.js', hashWorkerContentSecurityPolicy],
    ['/assets/hash.worker-D9AgR8Th.js?x', hashWorkerContentSecurityPolicy],
    ['/assets/hash.worker-x.js/../index.html', contentSecurityPolicy],
    ['/assets/hashApi-x.js', contentSecurityPolicy],
    ['/assets/index-B_Tx0L48.js', contentSecurityPolicy],
    ['/', contentSecurityPolicy],
    ['/assets/validate.worker-x.js/../index.html', contentSecurityPolicy],
    ['/x/assets/validate.worker-abc.js', contentSecurityPolicy],
  ])('%s', (path, policy) => {
    expect(pathContentSecurityPolicy(path)).toBe(policy);
  });

  it('widens only script-src for the validator worker, and takes its network and workers away', () => {
    expect(contentSecurityPolicy).not.toContain('unsafe-eval');
    const policy = parsePolicy(validatorWorkerContentSecurityPolicy());
    expect(policy.get('script-src')).toEqual(["'self'", "'unsafe-eval'"]);
    expect(policy.get('connect-src')).toEqual(["'none'"]);
    expect(policy.get('worker-src')).toEqual(["'none'"]);
    expect(validatorWorkerContentSecurityPolicy()).not.toContain('unsafe-inline');
  });

  it("names exactly the validator worker's own scripts when the build's chunk graph gives them", () => {
    const scripts = [
      'http://localhost:4173/assets/validate.worker-a.js',
      'http://localhost:4173/assets/chunk-b.js',
    ];
    const policy = parsePolicy(pathContentSecurityPolicy('/assets/validate.worker-a.js', [], scripts));
    expect(policy.get('script-src')).toEqual([...scripts, "'unsafe-eval'"]);
    expect(policy.get('worker-src')).toEqual(["'none'"]);
    // every other path ignores them
    expect(pathContentSecurityPolicy('/assets/hash.worker-x.js', [], scripts)).toBe(
      hashWorkerContentSecurityPolicy,
    );
  });

  it('gives the hash worker WebAssembly compilation and nothing else beyond the page', () => {
    const page = parsePolicy(contentSecurityPolicy);
    const worker = parsePolicy(hashWorkerContentSecurityPolicy);
    expect([...worker.keys()]).toEqual([...page.keys()]);
    for (const [name, sources] of worker) {
      if (name === 'script-src') expect(sources).toEqual([...(page.get(name) ?? []), "'wasm-unsafe-eval'"]);
      else if (name === 'connect-src') expect(sources).toEqual(["'none'"]);
      else expect(sources).toEqual(page.get(name));
    }
    expect(hashWorkerContentSecurityPolicy).not.toMatch(/'unsafe-eval'|'unsafe-inline'/);
    expect(contentSecurityPolicy).not.toContain('wasm-unsafe-eval');
  });

  it.each([
    ['/workers/hash.worker.ts?worker_file&type=module', hashWorkerContentSecurityPolicy],
    ['/workers/hash.worker.ts', hashWorkerContentSecurityPolicy],
    ['/workers/hashApi.ts', undefined],
    ['/workers/validate.worker.ts?worker_file&type=module', undefined],
    ['/', undefined],
  ])('dev server: %s', (path, policy) => {
    expect(devServerContentSecurityPolicy(path)).toBe(policy);
  });
});
