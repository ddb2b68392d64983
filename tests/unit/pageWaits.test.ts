/**
 * Every browser context an end-to-end spec opens gets the scaled bound for its waits through
 * Playwright's public setters (tests/e2e/pageWaits.ts), whichever way its browser came: launched,
 * connected, over CDP, or a persistent context; from `newContext` or from `newPage`. Checked on a
 * stand-in browser type that records what is set on each context it makes, so no browser starts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserType } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { boundPageWaits, type WaitBoundContext } from '../e2e/pageWaits.ts';

/** A context that records the bounds set on it. */
function fakeContext() {
  const set = { timeout: [] as number[], navigation: [] as number[] };
  const context: WaitBoundContext = {
    setDefaultTimeout: (ms) => set.timeout.push(ms),
    setDefaultNavigationTimeout: (ms) => set.navigation.push(ms),
  };
  return { context, set };
}

/** A browser type whose browsers and persistent contexts are stand-ins, every context kept. */
function fakeBrowserType() {
  const made: ReturnType<typeof fakeContext>[] = [];
  const calls: { method: string; args: unknown[] }[] = [];
  const contextFor = () => {
    const fake = fakeContext();
    made.push(fake);
    return fake.context;
  };
  const browser = () => ({
    newContext: async () => contextFor(),
    // a page of its own context, made without the browser's newContext
    newPage: async () => {
      const context = contextFor();
      return { context: () => context };
    },
  });
  const browserMethod =
    (method: string) =>
    async (...args: unknown[]) => {
      calls.push({ method, args });
      return browser();
    };
  const type = {
    launch: browserMethod('launch'),
    connect: browserMethod('connect'),
    connectOverCDP: browserMethod('connectOverCDP'),
    launchPersistentContext: async (...args: unknown[]) => {
      calls.push({ method: 'launchPersistentContext', args });
      return contextFor();
    },
  };
  return { type: type as unknown as BrowserType, made, calls };
}

describe('every context an end-to-end spec opens waits for the scaled bound', () => {
  it.each([
    ['launch', (t: BrowserType) => t.launch({ headless: true })],
    ['connect', (t: BrowserType) => t.connect('ws://127.0.0.1:1/a', { timeout: 5 })],
    ['connectOverCDP', (t: BrowserType) => t.connectOverCDP('http://127.0.0.1:1')],
  ] as const)('a browser from %s: its newContext and its newPage', async (method, open) => {
    const { type, made, calls } = fakeBrowserType();
    boundPageWaits(type, 91_000);
    const browser = await open(type);
    await browser.newContext();
    await browser.newPage();
    expect(made).toHaveLength(2);
    for (const { set } of made) expect(set).toEqual({ timeout: [91_000], navigation: [91_000] });
    // the browser type got the spec's arguments as they were
    expect(calls).toHaveLength(1);
    expect(calls[0]?.method).toBe(method);
    expect(calls[0]?.args.length).toBeGreaterThan(0);
  });

  it('a persistent context', async () => {
    const { type, made, calls } = fakeBrowserType();
    boundPageWaits(type, 47_000);
    await type.launchPersistentContext('/tmp/profile', { headless: true });
    expect(made.map(({ set }) => set)).toEqual([{ timeout: [47_000], navigation: [47_000] }]);
    expect(calls).toEqual([
      { method: 'launchPersistentContext', args: ['/tmp/profile', { headless: true }] },
    ]);
  });

  it('set up again (before each spec file), it wraps once and takes the new bound', async () => {
    const { type, made } = fakeBrowserType();
    boundPageWaits(type, 30_000);
    boundPageWaits(type, 60_000);
    await (await type.launch()).newContext();
    expect(made.map(({ set }) => set)).toEqual([{ timeout: [60_000], navigation: [60_000] }]);
  });

  it('the end-to-end set-up binds the real chromium with the scaled page bound, through no private field', () => {
    const e2e = join(import.meta.dirname, '..', 'e2e');
    const setup = readFileSync(join(e2e, 'waits.setup.ts'), 'utf8');
    expect(setup).toMatch(/^boundPageWaits\(chromium, WAITS\.page\);$/m);
    // Playwright's own defaults object and its fields are not its interface: a rename in an
    // upgrade would bring back the fixed 30 s without a word.
    const privateDefaults = /\b_playwright\b|_defaultContext\w*Timeout/;
    const offending = readdirSync(e2e, { recursive: true, encoding: 'utf8' })
      .filter((file) => /\.tsx?$/.test(file))
      .filter((file) => privateDefaults.test(readFileSync(join(e2e, file), 'utf8')));
    expect(offending).toEqual([]);
  });
});
