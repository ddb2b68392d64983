/**
 * Fresh, empty databases of both engines for the server's tests, cheap enough for one per case:
 * one PGlite instance per test file with a new schema per case (PGlite's start is seconds of
 * WebAssembly set-up), and one throwaway PostgreSQL server per file with a new database per case.
 * Test-only: imported by *.test.ts files, never by the server.
 */
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll } from 'vitest';
import { postgresBinDir, startPostgres, type TestPostgres } from '../../../tests/setup/postgres.ts';
import { type Database, embeddedDatabaseOver, openPostgresDatabase } from '../index.ts';

/** The engines, each opening fresh databases; `stop` ends what the file started. */
export interface TestEngines {
  /** a case per engine, for `describe.each`; PostgreSQL is absent where it is not installed (CI has it) */
  engines: { engine: 'embedded' | 'postgres'; open: () => Promise<Database> }[];
  /** a fresh database of `engine`; throws where that engine is not installed */
  open(engine: 'embedded' | 'postgres'): Promise<Database>;
  stop(): Promise<void>;
}

let cases = 0;

/**
 * The engines of one test file: started as the file loads, awaited before its first test, stopped
 * after its last. `running()` is the started engines, inside a test or a hook.
 */
export function fileTestEngines(): { running(): TestEngines } {
  const started = startTestEngines();
  let running: TestEngines | undefined;
  beforeAll(async () => {
    running = await started;
  }, 180_000);
  afterAll(async () => {
    await running?.stop();
  });
  return {
    running() {
      if (running === undefined) throw new Error('the test engines are used before their beforeAll ran');
      return running;
    },
  };
}

/** Starts PGlite and, where installed, PostgreSQL; call from `beforeAll`. */
export async function startTestEngines(): Promise<TestEngines> {
  const bin = postgresBinDir();
  if (bin === undefined && process.env.CI)
    throw new Error(
      'PostgreSQL is not installed: .ci/run installs Debian’s postgresql package for these tests',
    );
  if (bin === undefined)
    console.warn('PostgreSQL is not installed (Debian package postgresql): its cases are skipped');
  const [lite, pg] = await Promise.all([PGlite.create(), bin === undefined ? undefined : startPostgres(bin)]);
  const engines: TestEngines['engines'] = [
    {
      engine: 'embedded',
      open: async () => {
        const schema = `case_${++cases}`;
        await lite.exec(`CREATE SCHEMA ${schema}; SET search_path TO ${schema};`);
        return embeddedDatabaseOver(lite, { shared: true });
      },
    },
  ];
  if (pg !== undefined) engines.push({ engine: 'postgres', open: () => freshPostgres(pg) });
  return {
    engines,
    open(engine) {
      const found = engines.find((e) => e.engine === engine);
      if (found === undefined) throw new Error(`${engine} is not installed here`);
      return found.open();
    },
    async stop() {
      await lite.close();
      await pg?.stop();
    },
  };
}

async function freshPostgres(pg: TestPostgres): Promise<Database> {
  const name = `case_${++cases}`;
  await pg.query(`CREATE DATABASE ${name}`);
  return openPostgresDatabase(pg.url(name));
}
