/**
 * HTTP headers served with the production build (vite preview, `npm start`).
 * Constraints: no inline scripts or styles from third parties, no eval (built-in schemas are
 * precompiled), and cross-origin isolation (COOP + COEP) so later issues can measure memory.
 * `connect-src` widens to the user's FHIR origin in a later issue — never to anything else.
 */
/** The policy, directive by directive. */
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

/** The Content-Security-Policy header served with the production build. */
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
 * browser where ajv compiles a user's column contract (DESIGN.md 6): a worker's CSP is its own
 * script response's header, so this widens `script-src` with `'unsafe-eval'` for that worker only,
 * and takes all network access away from it (`connect-src 'none'`): code generated from a
 * contract can compute, never send. The page's policy stays without eval.
 */
export const validatorWorkerContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self' 'unsafe-eval'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The built validator worker's path (`/assets/validate.worker-<hash>.js`, Vite's name for
 * `new URL('./validate.worker.ts', import.meta.url)`); query strings are ignored.
 */
export const VALIDATOR_WORKER_PATH = /^\/assets\/validate\.worker-[\w-]+\.js(?:\?.*)?$/;

/** The CSP a response for `path` is served with: the validator worker's, else the page's. */
export function contentSecurityPolicyFor(path: string): string {
  return VALIDATOR_WORKER_PATH.test(path) ? validatorWorkerContentSecurityPolicy : contentSecurityPolicy;
}

/** Every header the production build is served with. */
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
