/**
 * HTTP headers served with the production build (vite preview, `npm start`).
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

/** The policy for the `<meta>` tag (see {@link metaContentSecurityPolicy}) for `fhirOrigins`. */
export function metaContentSecurityPolicyFor(fhirOrigins: readonly string[]): string {
  return directivesFor(fhirOrigins)
    .filter((d) => !d.startsWith('frame-ancestors'))
    .join('; ');
}

/** The Content-Security-Policy header served with the production build (no FHIR server allowed). */
export const contentSecurityPolicy = directives.join('; ');

/**
 * The same policy as a <meta> element in the built index.html, so the app keeps it when someone
 * serves dist/ from a static host without our headers. `frame-ancestors` is left out: browsers
 * ignore it in <meta> (and warn in the console), so only the header can refuse framing.
 */
export const metaContentSecurityPolicy = directives
  .filter((d) => !d.startsWith('frame-ancestors'))
  .join('; ');

/**
 * The policy of the validator worker's script (workers/validate.worker.ts), the one place in the
 * browser where ajv compiles a user's column contract (docs/product.md#persistence-and-safety): a
 * worker's CSP is its own script response's header, so this widens `script-src` with
 * `'unsafe-eval'` for that worker only, and confines what code generated from a contract can do:
 * no network (`connect-src 'none'`), no worker of its own (`worker-src 'none'`), and no script but
 * the worker's own bundle — `script-src` names its files (`scripts`: absolute URLs of the worker's
 * file and the chunks it imports, from the build's chunk graph) instead of `'self'`, so a dynamic
 * import of any other URL of the app's origin is refused. CSP matches paths, not query strings:
 * the worker can still import one of its own files again with a query, a request to the same
 * server that carries no more than the server's own access log would show. Without `scripts`
 * (a build without its chunk graph) `script-src` falls back to `'self'`. The page's policy stays
 * without eval.
 */
export function validatorWorkerContentSecurityPolicy(scripts?: readonly string[]): string {
  const sources = scripts && scripts.length > 0 ? scripts.join(' ') : "'self'";
  return [
    "default-src 'none'",
    `script-src ${sources} 'unsafe-eval'`,
    "worker-src 'none'",
    "connect-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The built validator worker's path (`/assets/validate.worker-<hash>.js`, Vite's name for
 * `new URL('./validate.worker.ts', import.meta.url)`); query strings are ignored.
 */
export const VALIDATOR_WORKER_PATH = /^\/assets\/validate\.worker-[\w-]+\.js(?:\?.*)?$/;

/**
 * The policy of the hash worker's script (workers/hash.worker.ts): the page's policy with
 * `'wasm-unsafe-eval'` added to `script-src`, so hash-wasm may compile its embedded WebAssembly
 * (workers/sha256Hasher.ts), and `connect-src 'none'` (a hasher reads a Blob, never the network).
 * Nothing else is wider than the page's: `'wasm-unsafe-eval'` allows compiling WebAssembly, not
 * JavaScript `eval`.
 */
export const hashWorkerContentSecurityPolicy = directives
  .map((d) => {
    if (d === "script-src 'self'") return "script-src 'self' 'wasm-unsafe-eval'";
    if (d === "connect-src 'self'") return "connect-src 'none'";
    return d;
  })
  .join('; ');

/** The built hash worker's path (`/assets/hash.worker-<hash>.js`); query strings are ignored. */
export const HASH_WORKER_PATH = /^\/assets\/hash\.worker-[\w-]+\.js(?:\?.*)?$/;

/** The hash worker's path on the dev server (`/workers/hash.worker.ts?worker_file&type=module`). */
export const DEV_HASH_WORKER_PATH = /^\/workers\/hash\.worker\.ts(?:\?.*)?$/;

/**
 * The CSP a response for `path` is served with: the validator worker's (naming `workerScripts`, the
 * URLs of that worker's bundle), the hash worker's, else the page's for a build allowed to contact
 * `fhirOrigins`.
 */
export function pathContentSecurityPolicy(
  path: string,
  fhirOrigins: readonly string[] = [],
  workerScripts?: readonly string[],
): string {
  if (VALIDATOR_WORKER_PATH.test(path)) return validatorWorkerContentSecurityPolicy(workerScripts);
  if (HASH_WORKER_PATH.test(path)) return hashWorkerContentSecurityPolicy;
  return contentSecurityPolicyFor(fhirOrigins);
}

/**
 * The CSP the dev server sends for `path`, or undefined for none. The dev server has no page
 * policy (hot reload injects inline scripts), but the hash worker's script gets its own, so a
 * hash-worker change that the production policy would block fails in development too.
 */
export function devServerContentSecurityPolicy(path: string): string | undefined {
  return DEV_HASH_WORKER_PATH.test(path) ? hashWorkerContentSecurityPolicy : undefined;
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
 * Headers for the dev server: cross-origin isolation as in production so behaviour matches, but no
 * CSP, because Vite's hot reload injects inline scripts. The CSP is tested against the build only.
 */
export const devServerHeaders: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Referrer-Policy': 'no-referrer',
};
