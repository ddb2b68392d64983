/**
 * Test-only page script (built by tests/e2e/validateMapped.spec.ts, never shipped): puts the
 * validator worker's client on `window`, so the spec validates a CSV mapped to FHIR in the
 * production build, under the validator worker's own CSP, before the mapping editor calls it.
 */
import type { Mapping } from '../../../src/formats/mapping.ts';
import { sniffInWorker, validateInWorker } from '../../../workers/validateClient.ts';

const api = {
  /** Validates `text` as `name`, mapped with `mapping`; the report's summary and issues, or the problem. */
  async validateMapped(name: string, text: string, mapping: Mapping) {
    const file = new Blob([text]);
    const sniffed = await sniffInWorker(file, name);
    if (!sniffed.ok) return { problem: sniffed.problem.message };
    const { detected: _detected, ...layout } = sniffed.layout;
    const outcome = await validateInWorker({
      inputs: [{ file, name, layout, keys: [], mapping: { mapping } }],
      links: [],
      toolVersion: 'e2e',
    });
    if (!outcome.ok) return { problem: outcome.problem.message };
    return { summary: outcome.report.summary, issues: outcome.report.issues, target: outcome.report.target };
  },
};

/** What the spec calls through `page.evaluate`. */
export type ValidateMappedHarness = typeof api;

(window as unknown as { validateMapped: ValidateMappedHarness }).validateMapped = api;
document.body.dataset.ready = 'true';
