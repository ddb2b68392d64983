/**
 * Limits on what a client may send, applied before any route sees a body: a hostile or broken
 * client cannot make the server hold a huge body or walk a deeply nested one.
 */

/** The largest request body accepted: a project's shared records are far smaller. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** The deepest nesting of arrays and objects accepted in a JSON body. */
export const MAX_JSON_DEPTH = 32;

/** Thrown for a body nested deeper than {@link MAX_JSON_DEPTH}. */
export class JsonTooDeepError extends Error {
  override name = 'JsonTooDeepError';
}

/**
 * Parses `text` as JSON and refuses nesting deeper than `maxDepth`. The depth is counted on the
 * text before parsing (brackets outside strings), so a deep body is refused without building it.
 *
 * @throws {JsonTooDeepError} for a body nested too deeply; SyntaxError for one that is not JSON.
 */
export function parseBoundedJson(text: string, maxDepth = MAX_JSON_DEPTH): unknown {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      depth++;
      if (depth > maxDepth)
        throw new JsonTooDeepError(
          `the request body is nested more than ${maxDepth} levels deep (at character ${i}): send a flatter body`,
        );
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return JSON.parse(text);
}

const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * How long a client may take, and how many may be connected at once: a client that trickles its
 * headers or body (a byte every few seconds) or opens connections without end cannot hold the
 * server's sockets. Milliseconds.
 */
export interface ConnectionLimits {
  /** from the connection's first byte to the end of the request's headers */
  headersTimeoutMs: number;
  /** from the first byte to the end of the body (a 1 MiB body at a slow link's 64 KiB/s is 16 s) */
  requestTimeoutMs: number;
  /**
   * how long an idle kept-alive connection stays open between requests: longer than the proxy's
   * own (nginx keeps upstream connections 60 s), so the proxy, not the server, closes them
   */
  keepAliveTimeoutMs: number;
  /** connections at once; more are closed as they arrive */
  maxConnections: number;
}

/** The limits `preflight serve` runs with. */
export const CONNECTION_LIMITS: ConnectionLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 72_000,
  maxConnections: 1_000,
};

/**
 * How often Node checks the header and request timeouts: its default (30 s) would let a timed-out
 * client stay up to twice its limit.
 */
export function timeoutCheckIntervalMs(limits: ConnectionLimits): number {
  return Math.max(
    10,
    Math.min(1_000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4)),
  );
}

/**
 * Event streams one member may hold open at once (server-sent events): one per open shared
 * project per browser tab; a few tabs and a second computer fit, a runaway page does not.
 */
export const EVENT_STREAMS_PER_MEMBER = 8;

/**
 * Event streams the whole server holds at once: half its connection cap, so streams, which stay
 * open, can never take the connections every other request needs.
 */
export function eventStreamLimit(limits: ConnectionLimits): number {
  return Math.max(1, Math.floor(limits.maxConnections / 2));
}

/**
 * How often an open event stream gets a comment line: under the 60 s a proxy (nginx's
 * `proxy_read_timeout`) waits for a silent upstream, and the moment the stream checks that its
 * session and membership still hold.
 */
export const EVENT_HEARTBEAT_MS = 25_000;
