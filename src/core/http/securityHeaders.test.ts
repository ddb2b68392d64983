import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  contentSecurityPolicyFor,
  devPageContentSecurityPolicyFor,
  devServerContentSecurityPolicy,
  hashWorkerContentSecurityPolicy,
  isBuiltScriptWithQuery,
  metaContentSecurityPolicyFor,
  pathContentSecurityPolicy,
  validatorWorkerContentSecurityPolicy,
  WORKER_GRANTS,
  workerContentSecurityPolicy,
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
    // the page's policy ignores them
    expect(pathContentSecurityPolicy('/assets/index-x.js', [], scripts)).toBe(contentSecurityPolicy);
  });

  it('gives the hash worker WebAssembly compilation, no eval and no network', () => {
    const worker = parsePolicy(hashWorkerContentSecurityPolicy);
    expect(worker.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(worker.get('connect-src')).toEqual(["'none'"]);
    expect(worker.get('worker-src')).toEqual(["'none'"]);
    expect(hashWorkerContentSecurityPolicy).not.toMatch(/'unsafe-eval'|'unsafe-inline'/);
    expect(contentSecurityPolicy).not.toContain('wasm-unsafe-eval');
  });

  it('lets only the hash and event-log workers compile WebAssembly, and no other policy', () => {
    const compiling = WORKER_GRANTS.filter((grant) =>
      pathContentSecurityPolicy(`/assets/${grant.name}.worker-a.js`, []).includes("'wasm-unsafe-eval'"),
    ).map((grant) => grant.name);
    expect(compiling).toEqual(['hash', 'eventLog']);
    expect(contentSecurityPolicy).not.toContain('wasm-unsafe-eval');
    expect(metaContentSecurityPolicyFor([])).not.toContain('wasm-unsafe-eval');
  });

  const scripts = ['http://localhost:4173/assets/x.worker-a.js', 'http://localhost:4173/assets/chunk-b.js'];
  it.each([
    ['validate', [...scripts, "'unsafe-eval'"]],
    ['hash', [...scripts, "'wasm-unsafe-eval'"]],
    ['fhirValidate', scripts],
    ['sample', scripts],
    ['eventLog', [...scripts, "'wasm-unsafe-eval'"]],
    ['layout', scripts],
    ['bpmn', scripts],
    ['capacity', scripts],
    ['projectFile', scripts],
  ])('serves the %s worker its own bundle only, no worker, no network', (name, scriptSrc) => {
    const policy = parsePolicy(pathContentSecurityPolicy(`/assets/${name}.worker-Ab_1.js?x=1`, [], scripts));
    expect(Object.fromEntries(policy)).toEqual({
      'default-src': ["'none'"],
      'script-src': scriptSrc,
      'worker-src': ["'none'"],
      'connect-src': ["'none'"],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
      'frame-ancestors': ["'none'"],
    });
  });

  it("keeps the page's FHIR servers out of every worker's policy", () => {
    const fhir = ['https://fhir.example.org'];
    for (const grant of WORKER_GRANTS) {
      const policy = pathContentSecurityPolicy(`/assets/${grant.name}.worker-a.js`, fhir, scripts);
      expect(policy).toBe(workerContentSecurityPolicy(grant, scripts));
      expect(policy).not.toContain('fhir.example.org');
    }
    expect(pathContentSecurityPolicy('/', fhir, scripts)).toContain(
      "connect-src 'self' https://fhir.example.org",
    );
  });

  it('falls back to the origin when the chunk graph does not name the bundle', () => {
    for (const grant of WORKER_GRANTS)
      expect(parsePolicy(workerContentSecurityPolicy(grant, [])).get('script-src')?.[0]).toBe("'self'");
  });

  it('grants every worker in workers/, and each withholds storage unless its grant keeps some', () => {
    const entries = readdirSync('workers')
      .filter((file) => file.endsWith('.worker.ts'))
      .map((file) => file.replace(/\.worker\.ts$/, ''));
    expect(WORKER_GRANTS.map((grant) => grant.name).sort()).toEqual(entries.sort());
    for (const grant of WORKER_GRANTS) {
      const source = readFileSync(`workers/${grant.name}.worker.ts`, 'utf8');
      const withheld = source.indexOf('withholdStorage(self);');
      // before the API is exposed, so nothing the worker is asked to do runs with storage in reach
      expect(withheld, grant.name).toBeGreaterThan(0);
      expect(withheld, grant.name).toBeLessThan(source.indexOf('Comlink.expose('));
      expect(source.includes('navigator?.storage'), grant.name).toBe(grant.storage === 'opfs-key-spill');
    }
  });

  const NONCE = 'bm9uY2Utb2YtdGhlLXRlc3Q=';
  const devPage = devPageContentSecurityPolicyFor(['https://fhir.example.org'], NONCE);
  it.each([
    ['/workers/hash.worker.ts?worker_file&type=module', hashWorkerContentSecurityPolicy],
    ['/workers/hash.worker.ts', hashWorkerContentSecurityPolicy],
    ['/workers/validate.worker.ts?worker_file&type=module', validatorWorkerContentSecurityPolicy()],
    ...WORKER_GRANTS.map((grant): [string, string] => [
      `/workers/${grant.name}.worker.ts?worker_file&type=module`,
      workerContentSecurityPolicy(grant),
    ]),
    ['/workers/hashApi.ts', devPage],
    ['/src/app/main.tsx', devPage],
    ['/', devPage],
  ])('dev server: %s', (path, policy) => {
    expect(devServerContentSecurityPolicy(path, ['https://fhir.example.org'], NONCE)).toBe(policy);
  });

  it("dev server page: production's policy, with the nonce in script-src and style-src only", () => {
    const production = parsePolicy(contentSecurityPolicyFor(['https://fhir.example.org']));
    const development = parsePolicy(devPage);
    for (const directive of ['script-src', 'style-src'])
      production.set(directive, [...(production.get(directive) ?? []), `'nonce-${NONCE}'`]);
    expect(development).toEqual(production);
  });
});

describe('built scripts asked for with a query string', () => {
  it.each([
    ['/assets/validate.worker-Ab1_c.js?leak=1', true],
    ['/assets/validate.worker-Ab1_c.js?', true],
    ['/assets/index-x1.js?import', true],
    ['/assets/chunk-x1.mjs?a=b', true],
    ['/assets/validate.worker-Ab1_c.js', false],
    ['/assets/index-x1.css?v=1', false],
    ['/index.html?leak=1', false],
    ['/?leak=1', false],
  ])('%s: refused %s', (url, refused) => {
    expect(isBuiltScriptWithQuery(url)).toBe(refused);
  });
});
