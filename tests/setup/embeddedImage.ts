/**
 * One migrated embedded database for the tests that start the team server on PGlite: PGlite's
 * first start in a process is its initdb, 9–10 CPU-seconds, where opening a copy of a database
 * already made (`loadDataDir`) is about 3. The image is made once — initdb, then the server's own
 * migrations (migrate, exactly as a start runs them) — and kept as a gzipped tar in the system's
 * temporary folder, named by a hash of PGlite's version and of the migrations' source, so a new
 * migration or a new PGlite makes a new one and a stale one is never opened. Every database
 * opened from it is a fresh copy in memory of its own: nothing written in one reaches another or
 * the image. A server started on a copy still runs its migration check, which finds nothing to do.
 * Test-only.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { embeddedDatabaseOver, migrate } from '../../src/server/index.ts';

// joined from this file's folder, not `new URL(…, import.meta.url)`: Vite rewrites that pattern
// into an asset address in the jsdom test environment
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const MIGRATIONS_SOURCE = join(ROOT, 'src/server/migrations.ts');
const PGLITE_PACKAGE = join(ROOT, 'node_modules/@electric-sql/pglite/package.json');

/** Where this schema's image is kept: its name changes with the migrations and with PGlite. */
export function embeddedImagePath(): string {
  const hash = createHash('sha256')
    .update(readFileSync(PGLITE_PACKAGE))
    .update(readFileSync(MIGRATIONS_SOURCE))
    .digest('hex')
    .slice(0, 16);
  return join(tmpdir(), `preflight-pglite-migrated-${hash}.tar.gz`);
}

let made: Promise<string> | undefined;

/**
 * The image's path, made first when missing. Two processes making it at once each write a file of
 * their own and rename it into place, so a reader never meets half of one.
 */
export function ensureEmbeddedImage(): Promise<string> {
  made ??= (async () => {
    const path = embeddedImagePath();
    if (existsSync(path)) return path;
    const db = await PGlite.create();
    try {
      await migrate(embeddedDatabaseOver(db, { shared: true }));
      await db.exec('CHECKPOINT');
      const image = new Uint8Array(await (await db.dumpDataDir('gzip')).arrayBuffer());
      const partial = `${path}.${process.pid}.${Date.now()}.partial`;
      writeFileSync(partial, image);
      renameSync(partial, path);
    } finally {
      await db.close();
    }
    return path;
  })();
  return made;
}

/** The migrated image, to open a fresh database from (`{ kind: 'memory', image }`). */
export async function embeddedImage(): Promise<Blob> {
  return new Blob([readFileSync(await ensureEmbeddedImage())]);
}
