import { describe, expect, it } from 'vitest';
import {
  activeMarker,
  compareMarker,
  fileMarker,
  type MarkerDirectory,
  type MarkerVerdict,
  newerMarker,
  type ObservedStore,
  parseStoreMarker,
  STORE_MARKER_FILE,
  STORE_MARKER_KEY,
  type StoreMarker,
  webStorageMarker,
  wipedMarker,
} from './storeMarker.ts';

const AT = '2026-11-24T06:40:00.000Z';
const a2 = { auditLength: 2, auditHead: 'h2' };
const a1 = { auditLength: 1, auditHead: 'h1' };
const empty = { auditLength: 0, auditHead: null };

const marker = (projects: ObservedStore): StoreMarker => activeMarker(projects, AT);

describe('compareMarker', () => {
  const cases: {
    name: string;
    marker: StoreMarker | null;
    observed: ObservedStore;
    verdict: MarkerVerdict;
  }[] = [
    {
      name: 'fresh install: no marker, empty database',
      marker: null,
      observed: {},
      verdict: { kind: 'fresh' },
    },
    {
      name: 'normal: database matches the marker',
      marker: marker({ p: a2 }),
      observed: { p: a2 },
      verdict: { kind: 'normal' },
    },
    {
      name: 'normal: chain grew and a project was added since (another tab)',
      marker: marker({ p: a1 }),
      observed: { p: a2, q: empty },
      verdict: { kind: 'normal' },
    },
    {
      name: 'database reset: marker knows projects, database empty',
      marker: marker({ q: empty, p: a2 }),
      observed: {},
      verdict: { kind: 'lost', projectIds: ['p', 'q'], savedAt: AT },
    },
    {
      name: 'marker missing, database present',
      marker: null,
      observed: { p: a2 },
      verdict: { kind: 'unmarked' },
    },
    {
      name: 'audit chain shorter than the marker’s',
      marker: marker({ p: a2, q: empty }),
      observed: { p: a1, q: empty },
      verdict: { kind: 'damaged', missing: [], auditShorter: ['p'], auditChanged: [], savedAt: AT },
    },
    {
      name: 'audit chain of the same length ending in another entry',
      marker: marker({ p: a2 }),
      observed: { p: { auditLength: 2, auditHead: 'other' } },
      verdict: { kind: 'damaged', missing: [], auditShorter: [], auditChanged: ['p'], savedAt: AT },
    },
    {
      name: 'one of two projects missing',
      marker: marker({ p: a2, q: empty }),
      observed: { q: empty },
      verdict: { kind: 'damaged', missing: ['p'], auditShorter: [], auditChanged: [], savedAt: AT },
    },
    { name: 'wiped, then empty', marker: wipedMarker(AT), observed: {}, verdict: { kind: 'fresh' } },
    {
      name: 'wiped, then used again',
      marker: wipedMarker(AT),
      observed: { p: empty },
      verdict: { kind: 'normal' },
    },
    {
      name: 'marker with no projects, empty database',
      marker: marker({}),
      observed: {},
      verdict: { kind: 'fresh' },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(compareMarker(c.marker, c.observed)).toEqual(c.verdict);
    });
  }
});

describe('parseStoreMarker', () => {
  const cases: { name: string; text: string | null; ok: boolean }[] = [
    { name: 'absent', text: null, ok: false },
    { name: 'not JSON', text: '{', ok: false },
    { name: 'an array', text: '[]', ok: false },
    { name: 'unknown state', text: JSON.stringify({ state: 'other', savedAt: AT }), ok: false },
    { name: 'no time', text: JSON.stringify({ state: 'wiped' }), ok: false },
    {
      name: 'negative length',
      text: JSON.stringify({
        state: 'active',
        savedAt: AT,
        projects: { p: { auditLength: -1, auditHead: null } },
      }),
      ok: false,
    },
    {
      name: 'head of the wrong type',
      text: JSON.stringify({
        state: 'active',
        savedAt: AT,
        projects: { p: { auditLength: 1, auditHead: 5 } },
      }),
      ok: false,
    },
    { name: 'wiped', text: JSON.stringify(wipedMarker(AT)), ok: true },
    { name: 'active', text: JSON.stringify(marker({ p: a2, q: empty })), ok: true },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const parsed = parseStoreMarker(c.text);
      if (c.ok) expect(parsed).toEqual(JSON.parse(c.text as string));
      else expect(parsed).toBeNull();
    });
  }

  it('a project id like __proto__ stays a plain entry', () => {
    const text = `{"state":"active","savedAt":"${AT}","projects":{"__proto__":{"auditLength":1,"auditHead":"h"}}}`;
    const parsed = parseStoreMarker(text);
    expect(parsed?.state === 'active' && Object.keys(parsed.projects)).toEqual(['__proto__']);
    expect(({} as { auditLength?: number }).auditLength).toBeUndefined();
  });
});

describe('webStorageMarker', () => {
  it('round-trips through web storage and never throws when it is full or disabled', () => {
    const map = new Map<string, string>();
    const store = webStorageMarker({
      getItem: (k) => map.get(k) ?? null,
      setItem: (k, v) => void map.set(k, v),
    });
    store.write(marker({ p: a2 }));
    expect(map.has(STORE_MARKER_KEY)).toBe(true);
    expect(store.read()).toEqual(marker({ p: a2 }));
    const failing = webStorageMarker({
      getItem: () => {
        throw new DOMException('denied', 'SecurityError');
      },
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
    });
    expect(failing.read()).toBeNull();
    expect(() => failing.write(wipedMarker(AT))).not.toThrow();
    expect(webStorageMarker(undefined).read()).toBeNull();
  });
});

describe('the marker kept twice', () => {
  const older = activeMarker({ p1: a1 }, '2026-11-24T06:40:00.000Z');
  const newer = activeMarker({ p1: a2 }, '2026-11-24T06:41:00.000Z');
  const wiped = wipedMarker('2026-11-24T06:42:00.000Z');
  it.each<{
    what: string;
    local: StoreMarker | null;
    copy: StoreMarker | null;
    expected: StoreMarker | null;
  }>([
    { what: 'neither', local: null, copy: null, expected: null },
    { what: 'localStorage lost by a killed browser', local: null, copy: newer, expected: newer },
    { what: 'the file lost', local: newer, copy: null, expected: newer },
    { what: 'localStorage behind the file', local: older, copy: newer, expected: newer },
    { what: 'the file behind localStorage', local: newer, copy: older, expected: newer },
    { what: 'a wipe after the last save', local: wiped, copy: newer, expected: wiped },
  ])('$what: the newer one counts', ({ local, copy, expected }) => {
    expect(newerMarker(local, copy)).toEqual(expected);
  });

  /** A directory of one level in memory, whose writes fail while `full` is set. */
  function memoryDirectory() {
    const files = new Map<string, string>();
    const state = { full: false };
    const directory: MarkerDirectory = {
      async getFileHandle(name, options) {
        if (!files.has(name) && !options?.create) throw new DOMException('', 'NotFoundError');
        if (!files.has(name)) files.set(name, '');
        return {
          getFile: async () => ({ text: async () => files.get(name) ?? '' }),
          createWritable: async () => {
            let text = '';
            return {
              write: async (data: string) => {
                if (state.full) throw new DOMException('', 'QuotaExceededError');
                text += data;
              },
              close: async () => {
                files.set(name, text);
              },
            };
          },
        };
      },
    };
    return { directory, files, state };
  }

  it('keeps the copy in a file, reads it back, and skips a write the full disk refuses', async () => {
    const { directory, files, state } = memoryDirectory();
    const copy = fileMarker(async () => directory);
    await expect(copy.read()).resolves.toBeNull();
    await copy.write(older);
    await expect(copy.read()).resolves.toEqual(older);
    state.full = true;
    await expect(copy.write(newer)).resolves.toBeUndefined();
    await expect(copy.read()).resolves.toEqual(older);
    files.set(STORE_MARKER_FILE, '{"state":"active"');
    await expect(copy.read()).resolves.toBeNull();
  });

  it('a file system that is not there reads as no marker and never throws', async () => {
    const copy = fileMarker(() => Promise.reject(new DOMException('', 'SecurityError')));
    await expect(copy.write(newer)).resolves.toBeUndefined();
    await expect(copy.read()).resolves.toBeNull();
  });
});
