/**
 * Worker-side clean-up of comlink callback proxies.
 *
 * Constraint: a `Comlink.proxy(callback)` sent to a worker opens a MessageChannel whose page side stays
 * open (and keeps the callback reachable) until the worker releases its `Comlink.Remote`. So every
 * worker method that takes a callback releases it once its job settles, and never calls it afterwards.
 */
import * as Comlink from 'comlink';

/**
 * Releases `callback` if it is a comlink `Remote` (a callback proxied from the other thread); does
 * nothing for a plain function, e.g. when a test calls the worker API directly.
 */
export function releaseRemote(callback: unknown): void {
  // A Remote is a Proxy over a function whose `get` trap answers `releaseProxy` (`in` does not see it).
  const release = (callback as { [Comlink.releaseProxy]?: unknown } | null | undefined)?.[
    Comlink.releaseProxy
  ];
  if (typeof release === 'function') release();
}
