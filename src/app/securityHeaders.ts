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
