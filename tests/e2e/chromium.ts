/**
 * How Preflight's tests and benchmarks start Debian's Chromium (never a downloaded browser).
 * The flags suit a sandboxed machine with no network: no background connections, no updates.
 */
import { existsSync } from 'node:fs';

const HEADLESS_SHELL = '/usr/bin/chromium-headless-shell';

/**
 * Debian's Chromium in its headless shell (package chromium-headless-shell): the same Blink and V8
 * as `/usr/bin/chromium`, without the browser's own interface and its renderers, so a page costs
 * about 40 % less CPU. Debian's full Chromium where the shell is not installed; CHROMIUM_PATH
 * points at another local build.
 */
export const CHROMIUM_PATH =
  process.env.CHROMIUM_PATH ?? (existsSync(HEADLESS_SHELL) ? HEADLESS_SHELL : '/usr/bin/chromium');

/** Launch flags for a sandboxed CI machine with no network (see the brief's environment notes). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];
