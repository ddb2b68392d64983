/**
 * The FHIR server connection of this page, if any: made on the Migration workspace (the FHIR
 * server panel) and used from other workspaces (e.g. the sign-off's "Send to the FHIR server").
 *
 * Constraints:
 * - Memory only, like the access token inside the connection: gone when the page closes, never
 *   stored in the project or the browser's storage.
 * - Type-only import of the connection: holding it here must not pull the FHIR client library
 *   into the page's first bundle (the panel that connects is loaded lazily).
 */
import { useSyncExternalStore } from 'react';
import type { FhirConnection } from '../../fhir/connection.ts';

let current: FhirConnection | undefined;
const listeners = new Set<() => void>();

/** The connected server, or undefined when none is. */
export function getFhirConnection(): FhirConnection | undefined {
  return current;
}

/** Sets (or, with undefined, forgets) the page's connection, and tells every user of it. */
export function setFhirConnection(connection: FhirConnection | undefined): void {
  if (connection === current) return;
  current = connection;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The page's FHIR connection, re-rendering when it changes (connect, disconnect, reconnect). */
export function useFhirConnection(): FhirConnection | undefined {
  return useSyncExternalStore(subscribe, getFhirConnection, getFhirConnection);
}
