/**
 * Takes browser storage away from a worker's global scope. No worker keeps anything in the
 * browser: the page owns the project's IndexedDB (the audit chain among it). So every worker runs
 * this before it exposes its API, and none can read or write IndexedDB, Cache Storage or the
 * origin private file system. The validator worker matters most, as code generated from a user's
 * column contract runs there (ajv); its own key spill keeps the OPFS root it took before this ran.
 * Who needs what: docs/architecture.md#workers-and-jobs.
 *
 * On a worker's global scope (a WebIDL [Global] object) `indexedDB` and `caches` are its own
 * configurable properties; `storage` is an accessor on `WorkerNavigator.prototype`. Each is
 * deleted wherever it is found along the prototype chain, so no getter is left to call on the
 * scope; what cannot be deleted is overwritten. Afterwards each reads `undefined`, or this throws
 * (the worker then refuses to start rather than run with storage in reach).
 */

/** The globals withheld, and the navigator property. */
const WITHHELD_GLOBALS = ['indexedDB', 'caches'] as const;

function removeAlongChain(start: object | null, name: string): void {
  for (let at = start; at !== null; at = Object.getPrototypeOf(at)) {
    const own = Object.getOwnPropertyDescriptor(at, name);
    if (!own) continue;
    if (own.configurable) delete (at as Record<string, unknown>)[name];
    else if (own.writable) (at as Record<string, unknown>)[name] = undefined;
  }
}

export function withholdStorage(scope: object): void {
  for (const name of WITHHELD_GLOBALS) removeAlongChain(scope, name);
  const navigator = (scope as { navigator?: object }).navigator;
  if (navigator) removeAlongChain(navigator, 'storage');
  const left = [
    ...WITHHELD_GLOBALS.filter((name) => (scope as Record<string, unknown>)[name] !== undefined),
    ...(navigator && (navigator as Record<string, unknown>).storage !== undefined
      ? ['navigator.storage']
      : []),
  ];
  if (left.length > 0) throw new Error(`storage could not be withheld from this worker: ${left.join(', ')}`);
}
