/**
 * Which FHIR servers the app may contact. The page's Content-Security-Policy `connect-src` is
 * `'self'` plus the origins set where the app is served (`PREFLIGHT_FHIR_ORIGINS`), so record
 * content can go to no other host: the browser itself refuses. A server outside the list gets a
 * message that says how to allow it, instead of the silent network error the browser would give.
 *
 * Pure: used by vite.config.ts (headers, the CSP meta tag) and by the app (the message).
 */
import { FhirServerError } from './errors.ts';

/** The environment variable that lists the allowed FHIR origins. */
export const FHIR_ORIGINS_ENV = 'PREFLIGHT_FHIR_ORIGINS';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
/**
 * A DNS name or IPv4 address as the URL parser normalises it (lowercase, punycode). The WHATWG
 * parser accepts more in hosts (quotes, for one), which could read as a CSP keyword in
 * `connect-src`; found by the property test (`https://'unsafe-eval'`).
 */
const PLAIN_HOST = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/;

/**
 * Reads the allowlist: origins separated by spaces or commas. Each must be `https://host[:port]`,
 * or `http://` for this computer only (127.0.0.1, localhost, [::1]) — plain http to another host
 * would send patient data unencrypted. No paths, wildcards or `*`.
 *
 * @returns the origins (normalised, without duplicates) and a message per entry refused
 */
export function parseAllowedOrigins(text: string | undefined): { origins: string[]; problems: string[] } {
  const origins: string[] = [];
  const problems: string[] = [];
  for (const entry of (text ?? '').split(/[\s,]+/).filter((e) => e !== '')) {
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    if (!url || entry.includes('*') || !(PLAIN_HOST.test(url.hostname) || url.hostname === '[::1]')) {
      problems.push(`"${entry}" is not an origin such as https://fhir.example.org`);
      continue;
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
      problems.push(`"${entry}" must use https:// (http:// is allowed only for 127.0.0.1 and localhost)`);
      continue;
    }
    if (
      (url.pathname !== '/' && url.pathname !== '') ||
      url.search ||
      url.hash ||
      url.username ||
      url.password
    ) {
      problems.push(
        `"${entry}" must be an origin only (scheme, host and port), without a path: ${url.origin}`,
      );
      continue;
    }
    if (!origins.includes(url.origin)) origins.push(url.origin);
  }
  return { origins, problems };
}

/**
 * Undefined when the app may contact `baseUrl`; otherwise an error saying how to allow it.
 *
 * @param pageOrigin the app's own origin (always allowed: `'self'`)
 */
export function checkServerAllowed(
  baseUrl: string,
  allowed: readonly string[],
  pageOrigin?: string,
): FhirServerError | undefined {
  let origin: string;
  try {
    origin = new URL(baseUrl).origin;
  } catch {
    return undefined; // not a URL: normalizeBaseUrl says so with its own message
  }
  if (origin === pageOrigin || allowed.includes(origin)) return undefined;
  return new FhirServerError(
    'not-allowed',
    `This copy of Preflight is not allowed to contact ${origin}. It may contact only ${
      allowed.length > 0 ? allowed.join(', ') : 'no FHIR server yet'
    }, so patient data cannot go anywhere else.`,
    `Whoever runs Preflight can allow it by starting it with ${FHIR_ORIGINS_ENV}=${origin} npm start (several servers: separate them with spaces).`,
  );
}

/**
 * The FHIR origins a Content-Security-Policy lets the page contact: its `connect-src` sources
 * other than `'self'` (the page's own origin, allowed apart). Empty without a policy or directive.
 */
export function originsAllowedBy(policy: string | null | undefined): string[] {
  const connectSrc = (policy ?? '')
    .split(';')
    .map((directive) => directive.trim().split(/\s+/))
    .find(([name]) => name?.toLowerCase() === 'connect-src');
  return (connectSrc ?? []).slice(1).filter((source) => source !== "'self'");
}
