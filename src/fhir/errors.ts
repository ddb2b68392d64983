/**
 * Everything that can go wrong talking to a FHIR server, as one error type with a kind and advice
 * for the data team. Messages name the server (its origin) and what happened, never a request's
 * query, body or any record content (they may hold patient data), and never the access token.
 */

/** What went wrong, as a stable code (a public contract of the CLI's `--json` output). */
type FhirErrorKind =
  /** the address is not an http(s) URL */
  | 'bad-address'
  /** nothing answered at that address (refused, no such host, network down) */
  | 'unreachable'
  /** the server did not answer in time */
  | 'timeout'
  /** the user cancelled */
  | 'cancelled'
  /** something answered, but not a FHIR R4 server */
  | 'not-fhir'
  /** 401: no token, or the server refused it */
  | 'unauthorized'
  /** 403: the token is valid but may not do this */
  | 'forbidden'
  /** the server answered with an error (4xx/5xx, usually with an OperationOutcome) */
  | 'server-error'
  /** the app's security policy does not allow this server (browser only) */
  | 'not-allowed'
  /** the server does not offer what was asked (e.g. transactions, by its CapabilityStatement) */
  | 'not-supported'
  /** the server redirected the request (3xx), which the CLI does not follow */
  | 'redirected';

/** A failed exchange with a FHIR server: what happened (`message`) and what to do (`advice`). */
export class FhirServerError extends Error {
  override name = 'FhirServerError';
  constructor(
    readonly kind: FhirErrorKind,
    message: string,
    readonly advice: string,
    /** the HTTP status, when the server answered */
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The origin of a URL for messages (`https://fhir.example.org`): never its path or query. */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the server';
  }
}

/** The longest piece of a server's own text a message quotes. */
const MAX_SERVER_TEXT = 120;

const cut = (text: string): string =>
  text.length > MAX_SERVER_TEXT ? `${text.slice(0, MAX_SERVER_TEXT - 1)}…` : text;

/**
 * The OperationOutcome's words, cut short: each issue's `details.text`, else its `diagnostics`
 * (where many servers put their only text), else its code. Server text, not record content.
 */
function outcomeSummary(data: unknown): string | undefined {
  const outcome = data as {
    resourceType?: unknown;
    issue?: { code?: unknown; details?: { text?: unknown }; diagnostics?: unknown }[];
  };
  if (outcome?.resourceType !== 'OperationOutcome' || !Array.isArray(outcome.issue)) return undefined;
  const parts = outcome.issue
    .slice(0, 3)
    .map((issue) =>
      typeof issue.details?.text === 'string' && issue.details.text.trim() !== ''
        ? issue.details.text
        : typeof issue.diagnostics === 'string' && issue.diagnostics.trim() !== ''
          ? issue.diagnostics
          : String(issue.code ?? ''),
    )
    .map((text) => cut(text.trim().replace(/\s+/g, ' ')))
    .filter((text) => text !== '');
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** The first line of a plain-text error answer, cut short; undefined for a web page or nothing. */
function plainText(body: string): string | undefined {
  const trimmed = body.trim();
  if (trimmed === '' || trimmed.startsWith('<')) return undefined;
  return cut((trimmed.split(/\r?\n/)[0] as string).trim());
}

/** An answer that starts as JSON but does not parse: cut short or damaged on the way. */
const looksLikeBrokenJson = (body: string): boolean => /^\s*[[{]/.test(body);

/** Node's and browsers' words for "nothing answered". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * Turns whatever fhir-kit-client or fetch threw into a {@link FhirServerError}.
 *
 * @param doing what was being done, in words: "reading what the server offers"
 * @param timedOut true when the request was stopped by the timeout (not by the user)
 */
export function toFhirServerError(
  error: unknown,
  baseUrl: string,
  doing: string,
  timedOut: boolean,
): FhirServerError {
  if (error instanceof FhirServerError) return error;
  const where = originOf(baseUrl);
  const name = (error as { name?: unknown })?.name;
  if (name === 'AbortError' || name === 'TimeoutError') {
    return timedOut
      ? new FhirServerError(
          'timeout',
          `${where} did not answer in time while ${doing}.`,
          'Check that the server is running and not overloaded, then try again; a slow server may need a longer timeout (--timeout).',
        )
      : new FhirServerError('cancelled', `Cancelled while ${doing}.`, 'Nothing was changed on the server.');
  }
  const response = (error as { response?: { status?: unknown; data?: unknown } })?.response;
  if (response && typeof response.status === 'number') {
    const { status, data } = response;
    if (status >= 300 && status < 400) return redirectRefusal(error, baseUrl, status, doing);
    if (status === 401) {
      return new FhirServerError(
        'unauthorized',
        `${where} refused the request (401): no access token was given, or the server did not accept it.`,
        'Get a current access token from the server’s administrator and give it with --token-file (in the app: the Access token field).',
        status,
      );
    }
    if (status === 403) {
      return new FhirServerError(
        'forbidden',
        `${where} accepted the access token but does not allow it to do this (403) while ${doing}.`,
        'Ask the server’s administrator for read access to the resource types you need.',
        status,
      );
    }
    if (typeof data === 'string' && looksLikeBrokenJson(data)) {
      return new FhirServerError(
        'server-error',
        `${where} sent an answer that is not complete JSON (HTTP ${status}) while ${doing}: it was cut short or damaged on the way.`,
        'Try again. If it keeps happening, ask the server’s administrator: the server or a proxy in between stops answers part way (smaller pages may get through).',
        status,
      );
    }
    const text = typeof data === 'string' && status >= 400 ? plainText(data) : undefined;
    if (text !== undefined) {
      return new FhirServerError(
        'server-error',
        `${where} answered with an error (HTTP ${status}) while ${doing}; the server said: ${text}`,
        status >= 500
          ? 'The server had a problem; try again later or tell its administrator what it said.'
          : 'The server refused the request; check the address and what the server supports.',
        status,
      );
    }
    if (typeof data === 'string' || (status >= 200 && status < 300)) {
      return new FhirServerError(
        'not-fhir',
        `${where} answered, but not as a FHIR server (HTTP ${status}, not FHIR JSON) while ${doing}.`,
        'Check the address: it must be the FHIR base URL (it often ends in /fhir, /fhir/r4 or /baseR4).',
        status,
      );
    }
    const summary = outcomeSummary(data);
    return new FhirServerError(
      'server-error',
      `${where} answered with an error (HTTP ${status}) while ${doing}${summary ? `: ${summary}` : ''}.`,
      status >= 500
        ? 'The server had a problem; try again later or tell its administrator.'
        : 'The server refused the request; check the address and what the server supports.',
      status,
    );
  }
  const cause = (error as { cause?: { code?: unknown } })?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  if ((code && UNREACHABLE_CODES.has(code)) || error instanceof TypeError) {
    return new FhirServerError(
      'unreachable',
      `Could not reach ${where} while ${doing}${code ? ` (${code})` : ''}.`,
      'Check the address and that the server is running and reachable from this computer.',
    );
  }
  return new FhirServerError(
    'unreachable',
    `Could not talk to ${where} while ${doing}.`,
    'Check the address and that the server is running and reachable from this computer.',
  );
}

/**
 * A redirect the CLI did not follow (its requests are made with `redirect: "manual"`): a 307
 * would send a search's body, patients' identifiers, to wherever it points, and an answer from
 * another server would be reported as this one's. The message names the origin it pointed to
 * (never its path or query); the browser's CSP confines redirects the same way.
 */
function redirectRefusal(error: unknown, baseUrl: string, status: number, doing: string): FhirServerError {
  const where = originOf(baseUrl);
  const config = (
    error as { config?: { headers?: { get?: (name: string) => string | null }; url?: unknown } }
  )?.config;
  const location = typeof config?.headers?.get === 'function' ? config.headers.get('location') : null;
  let target: string | undefined;
  try {
    if (location) target = new URL(location, typeof config?.url === 'string' ? config.url : baseUrl).origin;
  } catch {
    target = undefined;
  }
  if (target === undefined || target === 'null')
    return new FhirServerError(
      'redirected',
      `${where} redirected the request (HTTP ${status}) while ${doing}, without saying where to; Preflight does not follow it.`,
      'Check the address: it must be the FHIR base URL the server answers at, not one it redirects from.',
      status,
    );
  if (target !== where)
    return new FhirServerError(
      'redirected',
      `${where} redirected the request to another server, ${target} (HTTP ${status}), while ${doing}; Preflight does not follow it, so nothing was sent there.`,
      `If ${target} is the right server, give its FHIR base URL; otherwise ask the administrator of ${where} why it redirects.`,
      status,
    );
  return new FhirServerError(
    'redirected',
    `${where} redirected the request to another address on the same server (HTTP ${status}) while ${doing}; Preflight does not follow it.`,
    'Give the FHIR base URL the server redirects to (ask its administrator if unsure).',
    status,
  );
}
