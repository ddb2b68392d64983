/**
 * HTTP headers served with the production build (vite preview, `npm start`), and the ones the
 * dev server (`npm run dev`) builds from them.
 * Constraints: no inline scripts or styles from third parties, no eval (built-in schemas are
 * precompiled), and cross-origin isolation (COOP + COEP) so later issues can measure memory.
 * `connect-src` is `'self'` plus the FHIR origins allowed where the app is served
 * (`PREFLIGHT_FHIR_ORIGINS`, read by vite.config.ts through src/fhir/allowlist.ts) — never anything else.
 */
/** The policy, directive by directive, with `connect-src 'self'` only. */
const directives = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
];

/** The directives with `connect-src` widened to the allowed FHIR origins (already checked origins). */
function directivesFor(fhirOrigins: readonly string[]): string[] {
  return directives.map((d) =>
    d === "connect-src 'self'" ? ["connect-src 'self'", ...fhirOrigins].join(' ') : d,
  );
}

/** The Content-Security-Policy header for a build allowed to contact `fhirOrigins`. */
export function contentSecurityPolicyFor(fhirOrigins: readonly string[]): string {
  return directivesFor(fhirOrigins).join('; ');
}

/**
 * The policy as a <meta> element in the built index.html for a build allowed to contact
 * `fhirOrigins`, so the app keeps it when someone serves dist/ from a static host without our
 * headers. `frame-ancestors` is left out: browsers ignore it in <meta> (and warn in the console),
 * so only the header can refuse framing.
 */
export function metaContentSecurityPolicyFor(fhirOrigins: readonly string[]): string {
  return directivesFor(fhirOrigins)
    .filter((d) => !d.startsWith('frame-ancestors'))
    .join('; ');
}

/** The Content-Security-Policy header served with the production build (no FHIR server allowed). */
export const contentSecurityPolicy = directives.join('; ');

/**
 * What one worker may do beyond running its own bundle. Every worker gets its own policy (a
 * worker's CSP is its own script response's header): `script-src` names the worker's own files
 * (`scripts`: absolute URLs of its file and the chunks it imports, from the build's chunk graph)
 * instead of `'self'`, so an import of any other script of the origin is refused; no worker of its
 * own (`worker-src 'none'`); no network (`connect-src 'none'`) — no worker fetches anything; the
 * page does (FHIR servers, the app's files). The table of who needs what, and why, is in
 * docs/architecture.md#workers-and-jobs.
 */
interface WorkerGrant {
  /** the worker's entry in workers/ (`<name>.worker.ts`, built as `/assets/<name>.worker-<hash>.js`) */
  readonly name: string;
  /** `'unsafe-eval'`: ajv compiles a user's column contract to JavaScript (validator only) */
  readonly eval: boolean;
  /**
   * `'wasm-unsafe-eval'`: hash-wasm compiles its embedded WebAssembly (hash); sql.js compiles
   * SQLite, inlined in the worker's own chunk, to read an OCEL 2.0 SQLite log (eventLog)
   */
  readonly wasm: boolean;
  /**
   * Browser storage kept in the worker's scope: `'none'` means workers/withholdStorage.ts removes
   * IndexedDB, Cache Storage and `navigator.storage` before the worker's API is exposed;
   * `'opfs-key-spill'` keeps only the OPFS root taken before that (the validator's key spill).
   */
  readonly storage: 'none' | 'opfs-key-spill';
}

/** Every worker of the app, and what each is granted. */
export const WORKER_GRANTS: readonly WorkerGrant[] = [
  { name: 'validate', eval: true, wasm: false, storage: 'opfs-key-spill' },
  { name: 'hash', eval: false, wasm: true, storage: 'none' },
  { name: 'fhirValidate', eval: false, wasm: false, storage: 'none' },
  { name: 'sample', eval: false, wasm: false, storage: 'none' },
  { name: 'eventLog', eval: false, wasm: true, storage: 'none' },
  { name: 'layout', eval: false, wasm: false, storage: 'none' },
  { name: 'bpmn', eval: false, wasm: false, storage: 'none' },
  { name: 'capacity', eval: false, wasm: false, storage: 'none' },
  { name: 'projectFile', eval: false, wasm: false, storage: 'none' },
];

/** The built path of worker `name` (`/assets/<name>.worker-<hash>.js`); query strings are ignored. */
export function builtWorkerPath(name: string): RegExp {
  return new RegExp(`^/assets/${name}\\.worker-[\\w-]+\\.js(?:\\?.*)?$`);
}

/**
 * The policy of a worker granted `grant`, naming `scripts` (its bundle's absolute URLs) in
 * `script-src`. Without `scripts` (a build without its chunk graph, the dev server) `script-src`
 * falls back to `'self'`. CSP matches paths, not query strings, so this does not stop one leak:
 * code running in a worker can import one of its own files again with a query string it chose
 * (`…/validate.worker-<hash>.js?<anything>`), and that request, with whatever the code computed
 * from the rows it sees, reaches the server that served the app and whatever logs or proxies
 * stand in front of it. The production server refuses such a request (404, no body:
 * {@link isBuiltScriptWithQuery}), so nothing is served back and it stands out in a log, but it
 * has been sent. With the app served from loopback (the default) it goes no further than this
 * machine; served from a shared host, it reaches that host.
 */
export function workerContentSecurityPolicy(grant: WorkerGrant, scripts?: readonly string[]): string {
  const sources = [
    ...(scripts && scripts.length > 0 ? scripts : ["'self'"]),
    ...(grant.eval ? ["'unsafe-eval'"] : []),
    ...(grant.wasm ? ["'wasm-unsafe-eval'"] : []),
  ];
  return [
    "default-src 'none'",
    `script-src ${sources.join(' ')}`,
    "worker-src 'none'",
    "connect-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function grantOf(name: string): WorkerGrant {
  const grant = WORKER_GRANTS.find((g) => g.name === name);
  if (!grant) throw new Error(`no grant for worker ${name}`);
  return grant;
}

/**
 * The policy of the validator worker's script (workers/validate.worker.ts), the one place in the
 * browser where ajv compiles a user's column contract (docs/product.md#persistence-and-safety):
 * `'unsafe-eval'` for that worker only, and code generated from a contract can reach no network,
 * start no worker and load no script but the worker's own bundle. The page's policy stays
 * without eval.
 */
export function validatorWorkerContentSecurityPolicy(scripts?: readonly string[]): string {
  return workerContentSecurityPolicy(grantOf('validate'), scripts);
}

/**
 * The policy of the hash worker's script (workers/hash.worker.ts) without its bundle's URLs:
 * `'wasm-unsafe-eval'`, so hash-wasm may compile its embedded WebAssembly (workers/sha256Hasher.ts);
 * that allows compiling WebAssembly, not JavaScript `eval`.
 */
export const hashWorkerContentSecurityPolicy = workerContentSecurityPolicy(grantOf('hash'));

/**
 * A request for a built script (`/assets/….js`) that carries a query string. The app never asks
 * for one; a worker that does is sending data in the query (see {@link workerContentSecurityPolicy}),
 * so the production server answers it with 404 and no body.
 */
export function isBuiltScriptWithQuery(url: string): boolean {
  return /^\/assets\/[^?#]+\.m?js\?/.test(url);
}

/** Worker `name`'s path on the dev server (`/workers/<name>.worker.ts?worker_file&type=module`). */
export function devWorkerPath(name: string): RegExp {
  return new RegExp(`^/workers/${name}\\.worker\\.ts(?:\\?.*)?$`);
}

const BUILT_WORKER_PATHS = WORKER_GRANTS.map((grant) => ({ grant, path: builtWorkerPath(grant.name) }));
const DEV_WORKER_PATHS = WORKER_GRANTS.map((grant) => ({ grant, path: devWorkerPath(grant.name) }));

/**
 * The CSP a response for `path` is served with: a worker's own (naming `workerScripts`, the URLs of
 * that worker's bundle), else the page's for a build allowed to contact `fhirOrigins`.
 */
export function pathContentSecurityPolicy(
  path: string,
  fhirOrigins: readonly string[] = [],
  workerScripts?: readonly string[],
): string {
  const worker = BUILT_WORKER_PATHS.find((w) => w.path.test(path));
  if (worker) return workerContentSecurityPolicy(worker.grant, workerScripts);
  return contentSecurityPolicyFor(fhirOrigins);
}

/**
 * The page's policy on the dev server: the production page's for `fhirOrigins`, with one
 * addition: `'nonce-<nonce>'` in `script-src` and `style-src`. The dev server writes that nonce
 * (Vite's `html.cspNonce`, a new random value at each start) on the inline script React's hot
 * reload puts in the page and on the style elements Vite's client adds for CSS imports and its
 * error overlay; nothing else inline runs. Hot reload's WebSocket is the page's own origin, which
 * `connect-src 'self'` already allows.
 */
export function devPageContentSecurityPolicyFor(fhirOrigins: readonly string[], nonce: string): string {
  return directivesFor(fhirOrigins)
    .map((d) => (d === "script-src 'self'" || d === "style-src 'self'" ? `${d} 'nonce-${nonce}'` : d))
    .join('; ');
}

/**
 * The CSP the dev server sends for `path`: a worker's script gets the same policy as in
 * production, except that `script-src` is `'self'` (the dev server serves a worker as many
 * modules, not one bundle with a chunk graph); every other response gets
 * {@link devPageContentSecurityPolicyFor}. So a change that the production policy would block
 * fails in development too.
 */
export function devServerContentSecurityPolicy(
  path: string,
  fhirOrigins: readonly string[],
  nonce: string,
): string {
  const worker = DEV_WORKER_PATHS.find((w) => w.path.test(path));
  if (worker) return workerContentSecurityPolicy(worker.grant);
  return devPageContentSecurityPolicyFor(fhirOrigins, nonce);
}

/** Every header the production build is served with, for a build allowed to contact `fhirOrigins`. */
export function securityHeadersFor(fhirOrigins: readonly string[]): Record<string, string> {
  return { ...securityHeaders, 'Content-Security-Policy': contentSecurityPolicyFor(fhirOrigins) };
}

/** Every header the production build is served with (no FHIR server allowed). */
export const securityHeaders: Record<string, string> = {
  'Content-Security-Policy': contentSecurityPolicy,
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

/**
 * Headers for the dev server besides its CSP (set per path, {@link devServerContentSecurityPolicy}):
 * the production build's, so cross-origin isolation and the rest behave as in production.
 */
export const devServerHeaders: Record<string, string> = Object.fromEntries(
  Object.entries(securityHeaders).filter(([name]) => name !== 'Content-Security-Policy'),
);
