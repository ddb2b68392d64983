import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DIGEST_JSON, digestJsonText, digestModuleSource } from './digestJson.mjs';

describe('the FHIR digest in the CLI build', () => {
  it('is read from ASCII JSON beside the chunk, as the same value the generated module holds', async () => {
    // the generated module itself, as the build reads it (src/cli/generateFhir.ts writes it)
    const module = new URL('../core/fhir/generated/digest.js', import.meta.url).href;
    const digest = ((await import(module)) as { default: unknown }).default;
    const text = digestJsonText(digest);
    // one-byte text: read as latin1 it is the same string as read as UTF-8
    expect([...text].every((c) => c.charCodeAt(0) < 0x80)).toBe(true);
    // the digest has non-ASCII text (curly quotes in invariant descriptions): the escapes are exercised
    expect(text).toMatch(/\\u[0-9a-f]{4}/);
    const dir = await mkdtemp(path.join(tmpdir(), 'preflight-digest-json-'));
    try {
      await writeFile(path.join(dir, DIGEST_JSON), text);
      await writeFile(path.join(dir, 'digest-chunk.mjs'), digestModuleSource());
      const built = (await import(pathToFileURL(path.join(dir, 'digest-chunk.mjs')).href)) as {
        default: unknown;
      };
      expect(built.default).toEqual(digest);
      // key order too: reports list what the digest lists in its order
      expect(JSON.stringify(built.default)).toBe(JSON.stringify(digest));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
