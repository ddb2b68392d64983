/**
 * Asks an RFC 3161 time-stamp authority (`serve --tsa <url>`) to stamp each signed tree head the
 * server makes: an outside party's dated word that the head, and so the log it covers, existed
 * then — which the server's own clock cannot give.
 *
 * Constraint: an authority that is down or slow must not stop the log. The server asks it with
 * no transaction open (logService.ts). A stamp that fails (no answer within the time limit, a
 * refusal, an answer that is not over this head) is logged and the head is kept unstamped; the
 * authority is not asked again for `TSA_PAUSE_MS`, and the next head after is stamped — as it
 * extends the unstamped ones, it dates them too.
 */
import { randomBytes } from 'node:crypto';
import { readTimeStampResponse, timeStampRequest, treeHeadStampDigest } from '../core/timeStamp/index.ts';
import type { SignedTreeHead } from '../core/transparency/index.ts';

/** How long the server waits for the authority before keeping a head unstamped. */
const TSA_TIMEOUT_MS = 5_000;

/**
 * How long the server does not ask the authority after a stamp that failed: a down authority
 * then costs one wait per pause, not one per head.
 */
export const TSA_PAUSE_MS = 60_000;

/** Stamps a head: the token (base64 DER), or throws saying why not. */
export type TimeStamper = (head: SignedTreeHead) => Promise<string>;

/** A stamper asking the authority at `url` (HTTP POST, `application/timestamp-query`). */
export function timeStamper(url: string, timeoutMs = TSA_TIMEOUT_MS): TimeStamper {
  return async (head) => {
    const digest = treeHeadStampDigest(head);
    const nonce = randomBytes(8);
    const answer = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query' },
      body: timeStampRequest(digest, nonce),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!answer.ok) throw new Error(`the time-stamp authority answered HTTP ${answer.status}`);
    const read = readTimeStampResponse(new Uint8Array(await answer.arrayBuffer()), digest, nonce);
    if (!read.ok) throw new Error(`the time-stamp authority's answer is not usable: ${read.message}`);
    return Buffer.from(read.token).toString('base64');
  };
}
