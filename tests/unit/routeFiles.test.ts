/**
 * The shape every route file of the team server keeps (docs/architecture.md, the team server's
 * row): it is a fastify plugin whose routes declare their action and transaction and are run by
 * the contract's runner (src/server/contractRoute.ts), which opens the transaction, authorises
 * the caller and sends the answer once. So a route file opens no transaction, asks no membership
 * itself, and never touches the reply's sending. Each rule is shown failing on a forbidden source
 * and passing on an allowed one, then held over every route file of `src/server`.
 *
 * Known gap: the rules read the source's text, so a transaction opened through an alias
 * (`const t = db.transaction`) is not seen; the runner's own file is not a route file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SERVER = fileURLToPath(new URL('../../src/server', import.meta.url));

/** One rule of a route file: what it says, and whether a source breaks it. */
interface RouteFileRule {
  id: string;
  says: string;
  breaks: (source: string) => boolean;
}

const RULES: readonly RouteFileRule[] = [
  {
    id: 'plugin',
    says: 'a route file exports its routes as a fastify plugin (FastifyPluginAsync), registered by app.ts',
    breaks: (source) =>
      !/export const \w+: FastifyPluginAsync\b/.test(source) ||
      /export (?:async )?function register\w*\(\s*app\b/.test(source),
  },
  {
    id: 'no-transaction',
    says: 'a route declares its transaction; the runner opens it',
    breaks: (source) => /\.transaction\(/.test(source),
  },
  {
    id: 'no-inline-authorisation',
    says: 'a route declares its action; the runner checks the caller’s membership and role',
    breaks: (source) => /\brequireAction\(/.test(source),
  },
  {
    id: 'runner-sends',
    says: 'a handler returns its answer or refusal; the runner sends it once (no bare serveRoute, no send)',
    breaks: (source) => /\bserveRoute\(/.test(source) || /\.send\(/.test(source),
  },
];

/** The ids of the rules `source` breaks. */
function broken(source: string): string[] {
  return RULES.filter((rule) => rule.breaks(source)).map((rule) => rule.id);
}

/** Whether a server module serves routes (calls a runner of the contract). */
const servesRoutes = (source: string) => /\bserve(?:Project|Server)?Route\(app\b/.test(source);

const PLUGIN_HEAD = `import type { FastifyPluginAsync } from 'fastify';\nexport const routes: FastifyPluginAsync<RouteServices> = async (app, services) => {\n`;

describe('the route file rules', () => {
  const cases: { description: string; source: string; expected: string[] }[] = [
    {
      description: 'a plugin whose routes the runner runs',
      source: `${PLUGIN_HEAD}  serveProjectRoute(app, services, { contract, action: 'read-project', transaction: 'none', handler: async ({ tx }) => read(tx) });\n};\n`,
      expected: [],
    },
    {
      description: 'a register function instead of a plugin',
      source: `export function registerThings(app: FastifyInstance, db: Database): void {\n  serveProjectRoute(app, services, route);\n}\n`,
      expected: ['plugin'],
    },
    {
      description: 'a handler that opens its own transaction',
      source: `${PLUGIN_HEAD}  serveProjectRoute(app, services, { handler: async () => services.db.transaction(async (tx) => work(tx)) });\n};\n`,
      expected: ['no-transaction'],
    },
    {
      description: 'a handler that authorises inline',
      source: `${PLUGIN_HEAD}  serveServerRoute(app, services, { handler: async ({ tx, request }) => requireAction(tx, request, id, 'sign', now, true) });\n};\n`,
      expected: ['no-inline-authorisation'],
    },
    {
      description: 'a handler that sends its own refusal',
      source: `${PLUGIN_HEAD}  serveRoute(app, contract, async (request, reply) => reply.code(409).send({ error: 'no' }));\n};\n`,
      expected: ['runner-sends'],
    },
  ];
  it.each(cases)('$description', ({ source, expected }) => {
    expect(broken(source)).toEqual(expected);
  });
});

describe('every route file of the server', () => {
  const files = readdirSync(SERVER)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && file !== 'contractRoute.ts')
    .filter((file) => servesRoutes(readFileSync(path.join(SERVER, file), 'utf8')));

  it('is found: the six route files of the roster, reviews, signing, the log, sessions and invitations among them, and the change stream', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'invitations.ts',
        'logRoutes.ts',
        'projectEvents.ts',
        'projectRoutes.ts',
        'reviewAssignments.ts',
        'sessionRoutes.ts',
        'signingRoutes.ts',
        'sampleResults.ts',
        'sharedRecords.ts',
        'sharedWorkflows.ts',
      ]),
    );
  });

  it('is a plugin the contract runs: no transaction, authorisation or sending of its own', () => {
    const problems = files.flatMap((file) =>
      broken(readFileSync(path.join(SERVER, file), 'utf8')).map(
        (id) => `${file}: ${RULES.find((rule) => rule.id === id)?.says}`,
      ),
    );
    expect(problems).toEqual([]);
  });
});
