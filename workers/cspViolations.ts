/**
 * Content-Security-Policy violations inside workers, made visible to the page.
 *
 * A worker's CSP is the header of its own script response, and a violation there (a blocked
 * `WebAssembly.compile`, `eval`, `fetch`, `importScripts`) fires `securitypolicyviolation` on the
 * worker's global only: the page's `document` never hears of it, and Chromium prints nothing to the
 * page's console. So every worker entry calls {@link forwardCspViolations} first thing, which posts
 * each violation to the page, and the page side ({@link watchWorkerCspViolations}, installed by the
 * worker pool on every worker it creates) reports it with `console.error`. The end-to-end console
 * watch then fails on a violation anywhere, page or worker.
 *
 * Constraints:
 * - Only the directive and a coarse description of what was blocked cross over: a keyword (`eval`,
 *   `wasm-eval`, `inline`), a scheme (`blob`, `data`) or an origin. Never a URL's path or query, never
 *   a sample of the blocked code (`sample`), which could carry record content.
 * - The message has no `id`, so comlink's listeners on both sides ignore it (comlink only handles
 *   messages carrying the id of a call it made).
 * - No DOM use: the page side takes the worker as an `EventTarget`-like endpoint, so vitest drives it
 *   with a fake worker.
 */

/** `type` of the message a worker posts to the page for each CSP violation. */
export const CSP_VIOLATION_MESSAGE = 'preflight.workerCspViolation';

/**
 * Every page-side report starts with this, so the e2e watcher (tests/e2e/browser.ts) can tell a
 * worker's CSP violation from other console errors and count it with the page's own.
 */
export const WORKER_CSP_VIOLATION_PREFIX = 'Content-Security-Policy violation in a worker';

/** What the page learns of one violation in a worker. */
export interface WorkerCspViolation {
  /** The directive that blocked it, e.g. `script-src` or `connect-src`. */
  directive: string;
  /** What was blocked, coarsely: a keyword (`eval`, `wasm-eval`, `inline`), a scheme or an origin. */
  blocked: string;
}

/** The message a worker posts for a violation. */
export interface CspViolationMessage extends WorkerCspViolation {
  type: typeof CSP_VIOLATION_MESSAGE;
}

/** The part of a worker's global scope {@link forwardCspViolations} needs. */
export interface WorkerScope {
  addEventListener(type: 'securitypolicyviolation', listener: (event: CspViolationEventLike) => void): void;
  removeEventListener(
    type: 'securitypolicyviolation',
    listener: (event: CspViolationEventLike) => void,
  ): void;
  postMessage(message: CspViolationMessage): void;
}

/** The fields of a `SecurityPolicyViolationEvent` that are read (nothing else is). */
export interface CspViolationEventLike {
  effectiveDirective?: string;
  violatedDirective?: string;
  blockedURI?: string;
}

/** CSP keywords Chromium and Firefox report as `blockedURI` for non-URL sources. */
const BLOCKED_KEYWORD = /^[a-z][a-z-]{0,40}$/;
/** A directive name as it appears in a policy. */
const DIRECTIVE = /^[a-z][a-z-]{0,40}$/;
/** Schemes whose URL says nothing about a location worth reporting (and may embed content). */
const OPAQUE_SCHEMES = new Set(['blob:', 'data:', 'filesystem:', 'about:', 'javascript:']);

/**
 * A coarse, content-free description of a blocked URI: the keyword itself (`eval`, `wasm-eval`,
 * `inline`), the scheme of opaque URLs (`data`, `blob`), or the origin of others.
 */
export function describeBlockedUri(blockedURI: string | undefined): string {
  const value = (blockedURI ?? '').trim();
  if (value === '') return 'unknown';
  if (BLOCKED_KEYWORD.test(value)) return value;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'unknown';
  }
  if (OPAQUE_SCHEMES.has(url.protocol)) return url.protocol.slice(0, -1);
  return url.origin === 'null' ? url.protocol.slice(0, -1) : url.origin;
}

/** The content-free form of a violation event. */
function toWorkerCspViolation(event: CspViolationEventLike): WorkerCspViolation {
  const directive = event.effectiveDirective || event.violatedDirective || '';
  return {
    directive: DIRECTIVE.test(directive) ? directive : 'unknown',
    blocked: describeBlockedUri(event.blockedURI),
  };
}

/**
 * Worker side: posts every CSP violation of this worker to the page. Call it first in every
 * `*.worker.ts` entry, before anything that could be blocked. Returns a function that stops it.
 */
export function forwardCspViolations(scope: WorkerScope): () => void {
  const listener = (event: CspViolationEventLike) => {
    scope.postMessage({ type: CSP_VIOLATION_MESSAGE, ...toWorkerCspViolation(event) });
  };
  scope.addEventListener('securitypolicyviolation', listener);
  return () => scope.removeEventListener('securitypolicyviolation', listener);
}

/** True for a message posted by {@link forwardCspViolations}. */
export function isCspViolationMessage(data: unknown): data is CspViolationMessage {
  if (typeof data !== 'object' || data === null) return false;
  const message = data as Record<string, unknown>;
  return (
    message.type === CSP_VIOLATION_MESSAGE &&
    typeof message.directive === 'string' &&
    typeof message.blocked === 'string'
  );
}

/** The console line for a violation in the worker named `workerName`, e.g. "hash". */
export function describeWorkerCspViolation(workerName: string, violation: WorkerCspViolation): string {
  return `${WORKER_CSP_VIOLATION_PREFIX} (${workerName}): ${violation.directive} blocked ${violation.blocked}.`;
}

/** The part of a Worker the page side needs (a `Worker`, or comlink's `Endpoint`). */
interface MessageSource {
  addEventListener(type: 'message', listener: (event: Event) => void): void;
  removeEventListener(type: 'message', listener: (event: Event) => void): void;
}

/**
 * Page side: reports each violation `worker` forwards, by default with `console.error` (which the
 * browser's own reports of page violations resemble, and the e2e watch fails on). Returns a function
 * that stops listening.
 */
export function watchWorkerCspViolations(
  worker: MessageSource,
  workerName: string,
  report: (violation: WorkerCspViolation) => void = (violation) =>
    console.error(describeWorkerCspViolation(workerName, violation)),
): () => void {
  const listener = (event: Event) => {
    const data: unknown = (event as MessageEvent).data;
    if (isCspViolationMessage(data)) report({ directive: data.directive, blocked: data.blocked });
  };
  worker.addEventListener('message', listener);
  return () => worker.removeEventListener('message', listener);
}
