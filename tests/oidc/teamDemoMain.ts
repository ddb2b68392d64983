/**
 * `npm run team-demo`: a team server at http://localhost:8080/ with its records in
 * `./team-demo-data` (kept between runs; delete the folder to start afresh), a demo identity
 * provider at http://127.0.0.1:8081/ whose sign-in page lets you pick a demo person (no
 * passwords), and a demo project with the whole team on it. Loopback only; Ctrl-C stops both.
 */
import path from 'node:path';
import { DEMO_TEAM, DEMO_TEAM_PROJECT, startTeamDemo } from './teamDemo.ts';

const DATA_DIR = 'team-demo-data';
const SERVER_PORT = 8080;
const PROVIDER_PORT = 8081;

const dir = path.resolve(DATA_DIR);
let demo: Awaited<ReturnType<typeof startTeamDemo>>;
try {
  demo = await startTeamDemo({
    storage: { kind: 'embedded', dir },
    port: SERVER_PORT,
    providerPort: PROVIDER_PORT,
    seed: true,
  });
} catch (error) {
  const code = (error as { code?: string }).code;
  process.stderr.write(
    code === 'EADDRINUSE'
      ? `The team demo needs ports ${SERVER_PORT} and ${PROVIDER_PORT}, and one is taken: stop the program using it (another team demo?) and try again.\n`
      : `The team demo could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(2);
}
const width = Math.max(...Object.values(DEMO_TEAM).map((p) => p.name.length));
process.stderr.write(
  [
    `Preflight team demo at ${demo.url}/ — open it and choose "Sign in".`,
    `  records: the embedded database in ${dir} (delete the folder to start afresh)`,
    `  sign-in: a demo identity provider at ${demo.idp.issuer} — pick a person, no passwords (demo only)`,
    `  project "${DEMO_TEAM_PROJECT}", its team:`,
    ...Object.values(DEMO_TEAM).map((p) => `    ${p.name.padEnd(width)}  ${p.role}`),
    '  Use a second browser (or a private window) to be a second person at the same time.',
    'Ctrl-C stops it.',
    '',
  ].join('\n'),
);
const stop = () => {
  demo.stop().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
