/**
 * `npm run fhir-server [-- --port 8103] [--token-file f] [--allow-origin http://localhost:4173] [--empty]`:
 * the local FHIR R4 server for development and demos, seeded with the demo clinic's patients
 * (see seed.ts). Loopback only; Ctrl-C stops it and the data is gone.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_PREVIEW_ORIGINS } from './origins.ts';
import { demoSeed } from './seed.ts';
import { startFhirServer } from './server.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8103' },
    'token-file': { type: 'string' },
    'allow-origin': { type: 'string', multiple: true },
    empty: { type: 'boolean', default: false },
  },
  strict: true,
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write('fhir-server: --port must be a number from 0 to 65535\n');
  process.exit(2);
}
const token = values['token-file'] ? readFileSync(values['token-file'], 'utf8').trim() : undefined;
const seed = values.empty ? undefined : await demoSeed();
const server = await startFhirServer({
  port,
  token,
  seed: seed?.patients,
  corsOrigins: values['allow-origin'] ?? DEFAULT_PREVIEW_ORIGINS,
});
process.stderr.write(
  [
    `Local FHIR server (test data only) at ${server.baseUrl}`,
    seed
      ? `  ${server.repository.size} patients: the demo clinic's, with ${seed.manifest.missing.length + seed.manifest.notLoaded.length} missing, ${seed.manifest.extra.length} extra and ${seed.manifest.birthDate.length + seed.manifest.name.length + seed.manifest.sex.length} changed on purpose (tests/fhirServer/seed.ts)`
      : '  empty',
    token ? '  requires the bearer token from --token-file' : '  no access token required',
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
