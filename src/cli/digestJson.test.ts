import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DIGEST_JSON, digestJsonText, digestModuleSource } from './digestJson.mjs';

describe('the FHIR digest in the CLI build', () => {
  it('is read from ASCII JSON beside the chunk, as the same value the module held', async () => {
    // the digest's kinds of values: non-ASCII text (curly quotes, accents, a character outside the
    // BMP), numbers, nested records whose key order reports follow
    const digest = {
      fhirVersion: '4.0.1',
      types: { Patient: { kind: 'resource', elements: { name: { type: 'HumanName', min: 0, max: '*' } } } },
      invariants: { Patient: [{ key: 'pat-1', human: 'SHALL have a “contact” — café 𝄞' }] },
      numbers: [0, 1.5, -3e-7, 12345678901234],
      z: null,
      a: true,
    };
    const text = digestJsonText(digest);
    // one-byte text: read as latin1 it is the same string as read as UTF-8
    expect([...text].every((c) => c.charCodeAt(0) < 0x80)).toBe(true);
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
