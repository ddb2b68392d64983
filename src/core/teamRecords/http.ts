/**
 * The team server's shared-records API as the sync calls it: a pull
 * of what changed after a version, and one write per record naming the version it was based on.
 * A 409 is an answer (the server's current record), not a failure; any other refusal is a
 * `RecordRefusal` with the server's own reason (the app puts it in its words); a request that
 * never reached the server throws the fetch's error, so the sync keeps the write queued. The
 * fetch is given (the page's own in the app, one with a cookie in the tests): nothing here uses a
 * global.
 *
 * Constraint: only the records' own bodies travel (the never-sent guard has run before a write is
 * queued); ids go in the path percent-encoded, and nothing else of a record goes in a URL.
 */
import {
  type PendingWrite,
  type PutAnswer,
  RecordRefusal,
  type RecordTransport,
  type SharedRecord,
} from './sync.ts';

/** The fetch used (the same shape as the browser's and Node's). */
export type RecordsFetch = (input: string, init?: RequestInit) => Promise<Response>;

const CSRF_HEADER = 'x-csrf-token';

/** Where and as whom the records are sent. */
export interface RecordsEndpoint {
  /** the server's origin ('' for the page's own, as the app uses it) */
  base: string;
  projectId: string;
  csrfToken: string;
  /** the fetch to use (the page's own in the app; tests give one that carries their cookie) */
  fetchImpl: RecordsFetch;
  /** hears a 401 (the session ended) */
  onSessionEnded?: () => void;
}

/** A {@link RecordTransport} over HTTP to `endpoint`. */
export function httpRecordTransport(endpoint: RecordsEndpoint): RecordTransport {
  const doFetch = endpoint.fetchImpl;
  const path = `${endpoint.base}/api/projects/${encodeURIComponent(endpoint.projectId)}/records`;
  async function call(
    method: string,
    url: string,
    body?: unknown,
  ): Promise<{ status: number; json: unknown }> {
    const response = await doFetch(url, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json',
        ...(method === 'GET' ? {} : { [CSRF_HEADER]: endpoint.csrfToken }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = await response.json().catch(() => ({}));
    if (response.status === 401) endpoint.onSessionEnded?.();
    return { status: response.status, json };
  }
  const refusal = (status: number, json: unknown) => {
    const reason = (json as { error?: unknown }).error;
    return new RecordRefusal(status, typeof reason === 'string' ? reason : '');
  };
  return {
    async pull(after) {
      const { status, json } = await call('GET', `${path}?after=${after}`);
      if (status !== 200) throw refusal(status, json);
      const answer = json as { head?: unknown; records?: unknown };
      if (typeof answer.head !== 'number' || !Array.isArray(answer.records))
        throw new RecordRefusal(status, 'the team server did not answer as expected');
      return answer as { head: number; records: SharedRecord[] };
    },
    async put(write: PendingWrite): Promise<PutAnswer> {
      const url = `${path}/${encodeURIComponent(write.kind)}/${encodeURIComponent(write.id)}`;
      const { status, json } = await call('PUT', url, { baseVersion: write.baseVersion, body: write.body });
      if (status === 200) return { ok: true, record: (json as { record: SharedRecord }).record };
      const current = (json as { current?: SharedRecord | null }).current;
      if (status === 409 && current != null) return { ok: false, current };
      throw refusal(status, json);
    },
  };
}
