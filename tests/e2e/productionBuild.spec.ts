/**
 * What the production build (dist/, as `npm start` serves it) gives out: no source maps (a map
 * file would be served to anyone asking for it, with the original sources in it), and nothing for
 * a built script asked for with a query string (the app never asks for one; code in a worker that
 * does is sending data in the query).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';

const DIST = path.resolve('dist');

function filesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesIn(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  );
}

describe('production build', () => {
  const files = filesIn(DIST);

  it('holds no source map and no script points at one', () => {
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    const scripts = files.filter((f) => /\.(js|mjs|css)$/.test(f));
    expect(scripts.length).toBeGreaterThan(10);
    for (const file of scripts)
      expect(readFileSync(file, 'utf8'), path.relative(DIST, file)).not.toMatch(/sourceMappingURL=/);
  });

  it('serves no map for its scripts', async () => {
    const base = inject('baseUrl');
    const html = await (await fetch(base)).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const map = await fetch(new URL(`${script}.map`, base));
    // the preview server answers unknown paths with the app's page, never with a map
    expect(map.headers.get('content-type') ?? '').not.toContain('json');
    expect(await map.text()).not.toContain('"mappings"');
  });

  it('answers a built script asked for with a query with 404 and no body, and serves it without', async () => {
    const base = inject('baseUrl');
    const html = await (await fetch(base)).text();
    const page = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    const graph = JSON.parse(readFileSync(path.join(DIST, '.vite/worker-scripts.json'), 'utf8')) as Record<
      string,
      string[]
    >;
    const worker = Object.keys(graph).find((f) => /^assets\/validate\.worker-/.test(f));
    expect(page).toBeDefined();
    expect(worker).toBeDefined();
    for (const script of [page, `/${worker}`]) {
      const plain = await fetch(new URL(`${script}`, base));
      expect(plain.status, `${script}`).toBe(200);
      expect((await plain.arrayBuffer()).byteLength).toBeGreaterThan(0);
      for (const query of ['?leak=row%201', '?import']) {
        const refused = await fetch(new URL(`${script}${query}`, base));
        expect(refused.status, `${script}${query}`).toBe(404);
        expect((await refused.arrayBuffer()).byteLength, `${script}${query}`).toBe(0);
      }
    }
  });
});
