/**
 * How long the suites' waits and hooks may take before they name a hang, scaled to the machine by
 * the same calibration figure as the CPU budget (tests/calibration.ts, tests/budget.ts): on a
 * machine slower than the budget's reference each bound grows by the same ratio the budget scales
 * its measured figures down by, so a wait that holds on the reference machine holds on a slower
 * one as well; never shorter on a faster one. A bound only names a hang: a condition that holds
 * ends its wait at once, so a long bound costs nothing.
 *
 * `npm test` measures the calibration before the suites start and hands it to them in
 * `$PREFLIGHT_CALIBRATION_SECONDS` (tests/runAll.ts); a suite run on its own (`npx vitest run …`)
 * has no figure and takes the reference machine's bounds.
 */
import { readFileSync } from 'node:fs';

/** The variable `npm test` passes the calibration figure in, CPU seconds. */
export const CALIBRATION_ENV = 'PREFLIGHT_CALIBRATION_SECONDS';

/**
 * How many times slower than the budget's reference machine this one is: this machine's
 * calibration ÷ the reference's, at least 1. The budget multiplies a measured CPU figure by its
 * inverse (tests/budget.ts `scaleFactor`); waits are multiplied by it. 1 where no usable figure is
 * known.
 */
export function slowness(referenceSeconds: number, calibrationSeconds: number | undefined): number {
  if (calibrationSeconds === undefined || !(calibrationSeconds > 0) || !Number.isFinite(calibrationSeconds))
    return 1;
  if (!(referenceSeconds > 0) || !Number.isFinite(referenceSeconds)) return 1;
  return Math.max(1, calibrationSeconds / referenceSeconds);
}

/** The bounds on the reference machine, milliseconds. */
export const REFERENCE_WAITS = {
  /** a Playwright wait (locator, waitFor, navigation) and an `expect.poll` in an end-to-end spec */
  page: 30_000,
  /** one end-to-end test */
  e2eTest: 180_000,
  /** one end-to-end hook (a browser, a team server, PostgreSQL started) */
  e2eHook: 120_000,
  /** one unit or component test */
  unitTest: 30_000,
  /** one unit or component hook */
  unitHook: 30_000,
  /** a hook that starts the test databases (PGlite's WebAssembly start, PostgreSQL's initdb) */
  databaseHook: 180_000,
} as const;

export type Waits = { readonly [K in keyof typeof REFERENCE_WAITS]: number };

/** Every bound × `factor` (from {@link slowness}), whole milliseconds. */
export function scaledWaits(factor: number): Waits {
  const scale = factor >= 1 && Number.isFinite(factor) ? factor : 1;
  return Object.fromEntries(
    Object.entries(REFERENCE_WAITS).map(([name, ms]) => [name, Math.ceil(ms * scale)]),
  ) as unknown as Waits;
}

/** The calibration figure `npm test` passed down, if any. */
export function calibrationFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = env[CALIBRATION_ENV];
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
}

/** The budget's reference calibration (tests/budget.json), read without the budget's checks. */
function referenceCalibration(): number | undefined {
  try {
    const budget = JSON.parse(readFileSync(new URL('./budget.json', import.meta.url), 'utf8')) as {
      reference?: { calibrationSeconds?: unknown };
    };
    const seconds = budget.reference?.calibrationSeconds;
    return typeof seconds === 'number' ? seconds : undefined;
  } catch {
    return undefined;
  }
}

/** How many times slower than the reference this machine is, by the calibration `npm test` passed down. */
const SLOWNESS = slowness(referenceCalibration() ?? 0, calibrationFromEnv());

/** This machine's bounds: the reference's, scaled by the calibration `npm test` passed down. */
export const WAITS: Waits = scaledWaits(SLOWNESS);

/**
 * `referenceMs`, a bound that holds on the reference machine (a wait on a worker's long run, one
 * test's own timeout), scaled to this machine as {@link WAITS} are: every literal timeout of an
 * end-to-end spec goes through it (tests/unit/e2eTimeouts.test.ts holds them to it).
 */
export function scaled(referenceMs: number): number {
  return Math.ceil(referenceMs * SLOWNESS);
}
