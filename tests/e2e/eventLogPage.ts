/**
 * Where the event-log tools are and how a user reaches them: the address of "Discover today's
 * workflow from an event log" and the regions a journey or a benchmark reads. Shared by the
 * end-to-end specs and the browser benchmarks (tests/bench), so both open the tool the same way;
 * it imports nothing from vitest, so a benchmark can load it.
 */
import type { Locator, Page } from 'playwright-core';

/** The address of the "Discover today's workflow from an event log" tool. */
export const DISCOVER_LOG_HASH = '#/workflows/logs/discover';

/** The label of the file chooser of every event-log tool. */
export const EVENT_LOG_FILE_LABEL = 'Event log file (CSV, XES or OCEL 2.0, gzipped or not)';

/** The "Discover today's workflow from an event log" region. */
export const discoverRegion = (page: Page): Locator =>
  page.getByRole('region', { name: "Discover today's workflow from an event log" });

/** The process map of the discovered workflow (not the kept map's). */
export const processMapOf = (page: Page): Locator =>
  discoverRegion(page).getByRole('region', { name: 'Process map', exact: true });
