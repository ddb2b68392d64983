/**
 * `npm run fhir-server [-- --port 8103] [--token-file f] [--allow-origin http://localhost:4173] [--empty] [--bulk-export]`:
 * the local FHIR R4 server for development and demos, seeded with the demo clinic's patients
 * (see seed.ts); `--bulk-export` offers bulk data `$export`, so the app's server panel exports
 * instead of paging. Loopback only; Ctrl-C stops it and the data is gone.
 */
import { readFileSync } from 'node:fs';
import { parseFhirServerArgs } from './mainArgs.ts';
import { DEFAULT_PREVIEW_ORIGINS } from './origins.ts';
import { demoSeed } from './seed.ts';
import { startFhirServer } from './server.ts';

let args: ReturnType<typeof parseFhirServerArgs>;
try {
  args = parseFhirServerArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}
const token = args.tokenFile ? readFileSync(args.tokenFile, 'utf8').trim() : undefined;
const seed = args.empty ? undefined : await demoSeed();
const server = await startFhirServer({
  port: args.port,
  token,
  seed: seed?.patients,
  corsOrigins: args.allowOrigins ?? DEFAULT_PREVIEW_ORIGINS,
  bulkExport: args.bulkExport,
});
process.stderr.write(
  [
    `Local FHIR server (test data only) at ${server.baseUrl}`,
    seed
      ? `  ${server.repository.size} patients: the demo clinic's, with ${seed.manifest.missing.length + seed.manifest.notLoaded.length} missing, ${seed.manifest.extra.length} extra and ${seed.manifest.birthDate.length + seed.manifest.name.length + seed.manifest.sex.length} changed on purpose (tests/fhirServer/seed.ts)`
      : '  empty',
    token ? '  requires the bearer token from --token-file' : '  no access token required',
    args.bulkExport ? '  offers bulk data $export' : '  no bulk data $export (--bulk-export offers it)',
    `  for the app: PREFLIGHT_FHIR_ORIGINS=${server.origin} npm start`,
    'Ctrl-C stops it.',
    '',
  ].join('\n'),
);
const stop = () => {
  server.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
