/**
 * Test helper: the local FHIR server with the demo seed, on 127.0.0.1 and a free port.
 *
 * ```ts
 * let server: DemoFhirServer;
 * beforeAll(async () => { server = await startDemoFhirServer(); }, 60_000);
 * afterAll(() => server.close());
 * ```
 */
import type { Patient } from '@medplum/fhirtypes';
import { demoSeed, type SeedManifest } from './seed.ts';
import { type FhirServerOptions, type RunningFhirServer, startFhirServer } from './server.ts';

/** A running demo server and what its seed did. */
export interface DemoFhirServer extends RunningFhirServer {
  manifest: SeedManifest;
  patients: Patient[];
}

/**
 * Starts the server seeded with the demo clinic's patients (see seed.ts for the differences): all
 * of them, or those of the extract's first `rows` data rows (200 rows already hold one of each
 * difference; see {@link demoExtractHead} for the matching extract).
 */
export async function startDemoFhirServer(
  options: Omit<FhirServerOptions, 'seed'> = {},
  rows = Number.POSITIVE_INFINITY,
): Promise<DemoFhirServer> {
  const { patients, manifest } = await demoSeed(rows);
  const server = await startFhirServer({ ...options, seed: patients });
  return { ...server, manifest, patients };
}
