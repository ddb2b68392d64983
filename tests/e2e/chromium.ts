/**
 * How Preflight's tests and benchmarks start Debian's Chromium (never a downloaded browser).
 * The flags suit a sandboxed machine with no network: no background connections, no updates.
 */

/** Debian's Chromium; override with CHROMIUM_PATH for another local build. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

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
