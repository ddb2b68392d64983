/**
 * Writes a FHIR R4 `transaction` Bundle (e.g. the sign-off bundle) to a server, once, so that a
 * retry is always safe.
 *
 * Constraints:
 * - Only `PUT Type/id` entries are sent. A PUT with a client-assigned id creates or replaces that
 *   one resource, so sending the same Bundle again after a timeout or a dropped connection gives the
 *   same ids and no duplicates. A POST entry would make a second copy on a retry, so it is refused
 *   before anything is sent; so is a conditional PUT (`Type?search`), which would put search values
 *   in a URL.
 * - The request goes through {@link FhirConnection.call}: keepalive off (fhir-kit-client's default
 *   breaks bodies over 64 KiB), a timeout, the caller's AbortSignal, and no logging of the body.
 * - Messages name an entry by its position and `Type/id` (client-assigned ids, chosen by Preflight),
 *   the server's FHIRPath locations and issue codes — never a field's value and never the server's
 *   free text, which may quote one (values may be patient data).
 */
import type { FhirConnection } from './connection.ts';
import { FhirServerError, originOf } from './errors.ts';

/** What a FHIR id may be (R4 `id`: 1–64 of A–Z a–z 0–9 - .). */
const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
/** A resource type name as R4 spells them. */
const RESOURCE_TYPE = /^[A-Z][A-Za-z]{1,63}$/;
/** How many problems with a Bundle are listed before "and n more". */
export const MAX_LISTED_PROBLEMS = 10;

/** One entry of a checked Bundle: where it is and what it writes. */
interface TransactionTarget {
  /** position in `Bundle.entry`, from 0 */
  index: number;
  resourceType: string;
  id: string;
}

/** A problem with one entry (or the Bundle itself when `index` is undefined), in words. */
interface BundleProblem {
  index?: number;
  message: string;
}

/** A Bundle that cannot be sent as it is; nothing was sent. */
export class TransactionBundleError extends Error {
  override name = 'TransactionBundleError';
  constructor(readonly problems: readonly BundleProblem[]) {
    const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map((p) => p.message);
    const more = problems.length - listed.length;
    super(
      `The Bundle cannot be sent as one safe transaction: ${listed.join('; ')}${more > 0 ? `; and ${more} more` : ''}.`,
    );
  }
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks that `bundle` is a `transaction` Bundle whose every entry is `PUT Type/id` of the resource
 * it carries (same type and id), with no `Type/id` twice. Returns the entries' targets, or the
 * problems found (each names the entry's position, never a value).
 */
export function checkTransactionBundle(
  bundle: unknown,
): { ok: true; targets: TransactionTarget[] } | { ok: false; problems: BundleProblem[] } {
  if (!isObject(bundle) || bundle.resourceType !== 'Bundle') {
    return {
      ok: false,
      problems: [{ message: 'the file is not a FHIR Bundle (resourceType is not "Bundle")' }],
    };
  }
  if (bundle.type !== 'transaction') {
    return {
      ok: false,
      problems: [
        {
          message: `the Bundle's type is ${typeof bundle.type === 'string' ? `"${bundle.type}"` : 'missing'}, not "transaction" (only a transaction is applied all together or not at all)`,
        },
      ],
    };
  }
  if (!Array.isArray(bundle.entry) || bundle.entry.length === 0) {
    return {
      ok: false,
      problems: [{ message: 'the Bundle has no entries (Bundle.entry is empty or missing)' }],
    };
  }
  const problems: BundleProblem[] = [];
  const targets: TransactionTarget[] = [];
  const seen = new Map<string, number>();
  for (const [index, entry] of (bundle.entry as unknown[]).entries()) {
    const at = `entry ${index + 1} (Bundle.entry[${index}])`;
    const problem = (message: string) => problems.push({ index, message: `${at}: ${message}` });
    if (!isObject(entry)) {
      problem('is not an object');
      continue;
    }
    const request = entry.request;
    if (!isObject(request)) {
      problem('has no request (each entry needs request.method PUT and request.url Type/id)');
      continue;
    }
    const method = typeof request.method === 'string' ? request.method.toUpperCase() : undefined;
    if (method === 'POST') {
      problem(
        'is a POST, which makes a new record each time it is sent, so a retry would duplicate it; give the resource an id and use PUT Type/id',
      );
      continue;
    }
    if (method !== 'PUT') {
      problem(
        `has request.method ${method === undefined ? 'missing' : method}; only PUT (with the resource's own id) is sent, so that a retry is safe`,
      );
      continue;
    }
    const url = typeof request.url === 'string' ? request.url : '';
    const parts = /^([^/?#]+)\/([^/?#]+)$/.exec(url);
    if (url.includes('?')) {
      problem(
        'is a conditional update (request.url has a search); use PUT Type/id with the resource’s own id',
      );
      continue;
    }
    if (!parts || !RESOURCE_TYPE.test(parts[1] as string) || !FHIR_ID.test(parts[2] as string)) {
      problem('has a request.url that is not Type/id (e.g. Provenance/signoff-1)');
      continue;
    }
    const [, resourceType, id] = parts as unknown as [string, string, string];
    const resource = entry.resource;
    if (!isObject(resource)) {
      problem(`(${resourceType}/${id}) has no resource to write`);
      continue;
    }
    if (resource.resourceType !== resourceType || resource.id !== id) {
      problem(
        `(${resourceType}/${id}) carries a resource whose type or id differs from request.url; they must be the same`,
      );
      continue;
    }
    const key = `${resourceType}/${id}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problem(`(${key}) writes the same resource as entry ${first + 1}; a transaction may write each once`);
      continue;
    }
    seen.set(key, index);
    targets.push({ index, resourceType, id });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, targets };
}

/** What happened to one entry, from the server's transaction-response. */
export interface WrittenEntry extends TransactionTarget {
  /** the HTTP status the server gave the entry (201 created, 200 updated, 304 unchanged) */
  status: number;
  /** where the server says the resource now is (`Type/id/_history/v`), when it says */
  location?: string;
  /** the version tag (`W/"3"`), when the server gives one */
  etag?: string;
}

/** The result of {@link writeTransaction}. */
export interface TransactionSummary {
  /** entries the server created (201) */
  created: number;
  /** entries the server updated (200; some servers, like the local one, say 200 for a create too) */
  updated: number;
  /** entries the server found already as sent (304), when it says so */
  unchanged: number;
  entries: WrittenEntry[];
}

/** Options of {@link writeTransaction}. */
interface WriteTransactionOptions {
  /** stops the request (the user cancelled) */
  signal?: AbortSignal;
}

const RETRY_IS_SAFE =
  'Sending the same Bundle again is safe: every entry is a PUT with its own id, so a second send replaces the same records and never duplicates them.';

/** The first number of a transaction-response `status` ("201 Created" → 201). */
function statusCode(status: unknown): number | undefined {
  const match = typeof status === 'string' ? /^\s*(\d{3})/.exec(status) : undefined;
  return match ? Number(match[1]) : undefined;
}

/**
 * Which entry an OperationOutcome blames: an `expression` of `Bundle.entry[n]…` names it; otherwise
 * a location `Type.…` names every entry of that type (one, when the Bundle has one of that type).
 */
function blamedEntries(
  targets: readonly TransactionTarget[],
  expressions: readonly string[],
): TransactionTarget[] {
  const blamed = new Set<TransactionTarget>();
  for (const expression of expressions) {
    const byIndex = /^Bundle\.entry\[(\d+)\]/.exec(expression);
    if (byIndex) {
      const target = targets.find((t) => t.index === Number(byIndex[1]));
      if (target) blamed.add(target);
      continue;
    }
    const type = /^([A-Z][A-Za-z]+)\b/.exec(expression)?.[1];
    for (const target of targets) if (target.resourceType === type) blamed.add(target);
  }
  return [...blamed].sort((a, b) => a.index - b.index);
}

/**
 * The server's own words for an issue, only when no location names an entry (e.g. "too many
 * entries"): anything quoted is dropped (servers quote the offending value), and it is cut short.
 */
function serverText(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  const unquoted = text
    .replace(/(["'`‘“])[^"'`’”]*(["'`’”])/g, '…')
    .replace(/\s+/g, ' ')
    .trim();
  if (unquoted === '' || unquoted === '…') return undefined;
  return unquoted.length > 120 ? `${unquoted.slice(0, 117)}…` : unquoted;
}

/** The issue locations (FHIRPath) of an OperationOutcome, at most a few, their codes, and texts. */
function outcomeLocations(data: unknown): { expressions: string[]; codes: string[]; texts: string[] } {
  const outcome = data as { resourceType?: unknown; issue?: unknown };
  if (outcome?.resourceType !== 'OperationOutcome' || !Array.isArray(outcome.issue)) {
    return { expressions: [], codes: [], texts: [] };
  }
  const expressions: string[] = [];
  const codes: string[] = [];
  const texts: string[] = [];
  for (const issue of outcome.issue as {
    severity?: unknown;
    code?: unknown;
    expression?: unknown;
    location?: unknown;
    details?: { text?: unknown };
  }[]) {
    if (issue.severity !== 'error' && issue.severity !== 'fatal') continue;
    if (typeof issue.code === 'string' && !codes.includes(issue.code)) codes.push(issue.code);
    const text = serverText(issue.details?.text);
    if (text !== undefined && !texts.includes(text) && texts.length < 2) texts.push(text);
    const where = Array.isArray(issue.expression)
      ? issue.expression
      : Array.isArray(issue.location)
        ? issue.location
        : [];
    for (const e of where) {
      // a FHIRPath location only (letters, digits, dots, brackets): never free text with a value
      if (typeof e === 'string' && /^[A-Za-z][\w.[\]]{0,200}$/.test(e) && !expressions.includes(e))
        expressions.push(e);
    }
  }
  return { expressions, codes, texts };
}

/** The server refused the transaction (4xx with or without an OperationOutcome): nothing was written. */
function refusal(
  connection: FhirConnection,
  targets: readonly TransactionTarget[],
  status: number,
  data: unknown,
): FhirServerError {
  const where = originOf(connection.baseUrl);
  const { expressions, codes, texts } = outcomeLocations(data);
  const blamed = blamedEntries(targets, expressions);
  const named = blamed
    .slice(0, 5)
    .map((t) => `entry ${t.index + 1} (${t.resourceType}/${t.id})`)
    .join(', ');
  const which =
    blamed.length === 0
      ? ''
      : ` It names ${named}${blamed.length > 5 ? ` and ${blamed.length - 5} more` : ''}`;
  const at =
    expressions.length > 0
      ? `${which ? ' at' : ' It names'} ${expressions.slice(0, 5).join(', ')}${codes.length > 0 ? ` (${codes.join(', ')})` : ''}.`
      : which
        ? '.'
        : texts.length > 0
          ? ` It says: ${texts.join('; ')}${codes.length > 0 ? ` (${codes.join(', ')})` : ''}.`
          : codes.length > 0
            ? ` Its reason: ${codes.join(', ')}.`
            : '';
  return new FhirServerError(
    'server-error',
    `${where} refused the transaction (HTTP ${status}); nothing in it was written.${which}${at}`,
    blamed.length > 0
      ? 'Correct the named record (validate the Bundle file first to see what the server objects to), then send it again.'
      : 'Check what the server says against the Bundle (validate the file first; some servers limit how many records one transaction may hold), then send it again.',
    status,
  );
}

/**
 * Sends `bundle` to the connected server as one transaction and reads the answer.
 *
 * Refuses, before sending anything: a Bundle that is not `PUT Type/id` entries only
 * ({@link TransactionBundleError}), a server whose CapabilityStatement does not offer
 * transactions (`FhirServerError` kind `not-supported`). A refusal by the server names the entry
 * and location it blames; a timeout or dropped connection says the server may or may not have
 * applied it and that sending it again is safe.
 */
export async function writeTransaction(
  connection: FhirConnection,
  bundle: unknown,
  options: WriteTransactionOptions = {},
): Promise<TransactionSummary> {
  const checked = checkTransactionBundle(bundle);
  if (!checked.ok) throw new TransactionBundleError(checked.problems);
  const { targets } = checked;
  const where = originOf(connection.baseUrl);
  if (!connection.capabilities.transactions) {
    throw new FhirServerError(
      'not-supported',
      `${where} does not say it accepts transactions (its CapabilityStatement lists no "transaction" interaction); nothing was sent.`,
      'Send the Bundle to a server that accepts FHIR transactions, or ask the server’s administrator to enable them.',
    );
  }
  let response: unknown;
  try {
    response = await connection.call<unknown>(
      'sending the transaction',
      async (client, requestOptions) => {
        try {
          return await client.transaction({ body: bundle as never, options: requestOptions });
        } catch (error) {
          const answer = (error as { response?: { status?: unknown; data?: unknown } })?.response;
          const status = answer?.status;
          // a refusal with a reason: blame the entry here, where the targets are known
          if (
            typeof status === 'number' &&
            status >= 400 &&
            status < 500 &&
            status !== 401 &&
            status !== 403
          ) {
            throw refusal(connection, targets, status, answer?.data);
          }
          // a 5xx may come from a gateway that gave up while the server went on: not known
          if (typeof status === 'number' && status >= 500) {
            throw new FhirServerError(
              'server-error',
              `${where} answered with an error (HTTP ${status}) while applying the transaction, so the server may or may not have applied it.`,
              `${RETRY_IS_SAFE} Try again later; if it keeps happening, tell the server’s administrator.`,
              status,
            );
          }
          throw error;
        }
      },
      options.signal,
    );
  } catch (error) {
    if (error instanceof FhirServerError && (error.kind === 'timeout' || error.kind === 'unreachable')) {
      const what =
        error.kind === 'timeout'
          ? `${where} did not answer in time while applying the transaction`
          : `The connection to ${where} failed while sending the transaction`;
      throw new FhirServerError(
        error.kind,
        `${what}, so the server may or may not have applied it.`,
        `${RETRY_IS_SAFE} Check that the server is running, then send it again.`,
        error.status,
      );
    }
    if (error instanceof FhirServerError && error.kind === 'cancelled') {
      throw new FhirServerError(
        'cancelled',
        'Cancelled while sending the transaction; the server may or may not have applied it.',
        RETRY_IS_SAFE,
      );
    }
    throw error;
  }
  return readResponse(connection, targets, response);
}

/** Reads a transaction-response Bundle into a summary (one entry per sent entry, in order). */
function readResponse(
  connection: FhirConnection,
  targets: readonly TransactionTarget[],
  response: unknown,
): TransactionSummary {
  const bundle = response as { resourceType?: unknown; type?: unknown; entry?: unknown };
  if (
    bundle?.resourceType !== 'Bundle' ||
    bundle.type !== 'transaction-response' ||
    !Array.isArray(bundle.entry)
  ) {
    throw new FhirServerError(
      'not-fhir',
      `${originOf(connection.baseUrl)} answered the transaction, but not with a transaction-response Bundle, so what it wrote is not known.`,
      `Look the records up on the server. ${RETRY_IS_SAFE}`,
    );
  }
  const answers = bundle.entry as { response?: { status?: unknown; location?: unknown; etag?: unknown } }[];
  if (answers.length !== targets.length) {
    throw new FhirServerError(
      'not-fhir',
      `${originOf(connection.baseUrl)} answered the transaction with ${answers.length} entries for the ${targets.length} sent, so what it wrote is not known.`,
      `Look the records up on the server. ${RETRY_IS_SAFE}`,
    );
  }
  const summary: TransactionSummary = { created: 0, updated: 0, unchanged: 0, entries: [] };
  for (const [i, target] of targets.entries()) {
    const answer = answers[i]?.response;
    const status = statusCode(answer?.status) ?? 0;
    if (status === 201) summary.created++;
    else if (status === 304) summary.unchanged++;
    else if (status >= 200 && status < 300) summary.updated++;
    else {
      throw new FhirServerError(
        'server-error',
        `${originOf(connection.baseUrl)} answered entry ${target.index + 1} (${target.resourceType}/${target.id}) with status ${status || 'missing'} in a transaction it says it applied.`,
        `Look the record up on the server. ${RETRY_IS_SAFE}`,
      );
    }
    summary.entries.push({
      ...target,
      status,
      ...(typeof answer?.location === 'string' ? { location: answer.location } : {}),
      ...(typeof answer?.etag === 'string' ? { etag: answer.etag } : {}),
    });
  }
  return summary;
}
