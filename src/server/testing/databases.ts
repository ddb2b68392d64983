/**
 * Fresh, empty databases of both engines for the server's tests, cheap enough for one per case:
 * one PGlite instance per test process with a new schema per case (PGlite's start is seconds of
 * WebAssembly set-up and initdb), and the process's throwaway PostgreSQL server with a new
 * database per case, started only when a case asks for it. Test files share their worker's process
 * (`isolate: false`), so a run starts each engine once per worker rather than once per file.
 * Test-only: imported by *.test.ts files, never by the server.
 */
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll } from 'vitest';
import { embeddedImage } from '../../../tests/setup/embeddedImage.ts';
import { postgresBinDir, type TestPostgres, testPostgres } from '../../../tests/setup/postgres.ts';
import { WAITS } from '../../../tests/waits.ts';
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
  // PGlite's WebAssembly start and PostgreSQL's initdb: a bound far above the unit hooks', scaled
  // with the machine (tests/waits.ts)
  beforeAll(async () => {
    running = await started;
  }, WAITS.databaseHook);
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
  await testLite();
  const engines: TestEngines['engines'] = [{ engine: 'embedded', open: freshEmbedded }];
  let pg: Promise<TestPostgres> | undefined;
  if (bin !== undefined)
    engines.push({
      engine: 'postgres',
      open: async () => {
        pg ??= testPostgres(bin);
        return freshPostgres(await pg);
      },
    });
  return {
    engines,
    open(engine) {
      const found = engines.find((e) => e.engine === engine);
      if (found === undefined) throw new Error(`${engine} is not installed here`);
      return found.open();
    },
    // the engines are the process's: what a file leaves is its own schemas and databases
    async stop() {
      await (await pg)?.stop();
    },
  };
}

let lite: Promise<PGlite> | undefined;

/**
 * The test process's one PGlite instance, started at the first call and never closed: a copy of
 * the migrated image (tests/setup/embeddedImage.ts), which skips initdb. Its tables are in the
 * `public` schema; each case works in a schema of its own, so sees none of them.
 */
function testLite(): Promise<PGlite> {
  lite ??= embeddedImage().then((image) => PGlite.create({ loadDataDir: image }));
  return lite;
}

/** A fresh, empty embedded database: a new schema of the process's PGlite. */
export async function freshEmbedded(): Promise<Database> {
  const db = await testLite();
  const schema = `case_${++cases}`;
  await db.exec(`CREATE SCHEMA ${schema}; SET search_path TO ${schema};`);
  return embeddedDatabaseOver(db, { shared: true });
}

async function freshPostgres(pg: TestPostgres): Promise<Database> {
  const name = `case_${++cases}`;
  await pg.query(`CREATE DATABASE ${name}`);
  return openPostgresDatabase(pg.url(name));
}
