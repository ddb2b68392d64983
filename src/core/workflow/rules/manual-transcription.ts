/**
 * `manual-transcription`: data moved between different systems by a person.
 *
 * Detection, two ways (merged into one finding per pair or set of steps):
 * - a flow with `transfer: manual` between two reached steps whose `system` differs (someone
 *   re-keys or copies from one system into another);
 * - the same `enters` item typed in two or more different systems, more than once per case (the
 *   second entry is a copy of the first, whether or not a flow says so).
 * Raised one level for clinical data (vital signs, allergies, medications, results, orders), where
 * a transcription error reaches the patient.
 *
 * Sources: vital signs transcribed from paper had 18.75 % errors vs 0 % by device download
 * (Fieler et al., CIN 2013) and 4.4 % vs < 1 % automated (Smith et al., CIN 2009) — quoted only
 * when vital signs are among the items re-keyed, as that is what they measured; ONC SAFER Guide
 * "System Interfaces" otherwise.
 */

import type { Step } from '../../../formats/workflow.ts';
import { EPSILON } from '../graph.ts';
import { repeatedItems } from './entries.ts';
import { compareIds, finding, isClinicalItem, isReached, itemRoot, quoted, sortedIds } from './shared.ts';
import { type Finding, raised, type WorkflowRule } from './types.ts';

const ID = 'manual-transcription';
/** Vital signs transcribed from paper into the EHR: 18.75 % errors (Fieler et al., CIN 2013). */
const MANUAL_ERROR_RATE = 0.1875;
/** Vital signs transcribed from paper into the EMR: 4.4 % errors (Smith et al., CIN 2009). */
const MANUAL_ERROR_RATE_LOW = 0.044;
/** Automated (interfaced) documentation: under 1 % errors (Smith et al., CIN 2009). */
const INTERFACED_ERROR_RATE = 0.01;

/** Item roots of vital signs: the data the transcription studies measured. */
const VITAL_SIGN_ROOTS: ReadonlySet<string> = new Set(['vitals', 'vital', 'vitalsigns', 'vital_signs']);

/**
 * Why it matters, citing only what the source measured: the error rates of Smith et al. and
 * Fieler et al. are for vital signs, so they are quoted only when vital signs are re-keyed; other
 * data gets the ONC SAFER Guide's general advice on interfaces.
 */
function whyOf(items: readonly string[]): string {
  if (items.some((item) => VITAL_SIGN_ROOTS.has(itemRoot(item)))) {
    return (
      'Vital signs re-keyed by hand had 4–19 % transcription errors against under 1 % through ' +
      'an interface (Smith et al. 2009; Fieler et al. 2013).'
    );
  }
  return (
    'Each re-keying is a chance to copy a value wrongly; the ONC SAFER Guide on system interfaces ' +
    'asks for an interface instead of manual re-entry.'
  );
}

interface Transcription {
  steps: Step[];
  items: Set<string>;
  manualFlow: boolean;
  systems: Set<string>;
}

/** The `manual-transcription` finding rule (detection, severity and sources in the header). */
export const manualTranscription: WorkflowRule = {
  id: ID,
  severity: 'warn',
  title: 'Data re-keyed between systems',
  describe:
    'A person copies data from one system (or paper) into another. Re-keyed vital signs carry ' +
    '4–19 % transcription errors against under 1 % for a device interface (Smith et al. 2009; ' +
    'Fieler et al. 2013); the ONC SAFER Guide on system interfaces asks for interfaces instead.',
  requires: ['metrics'],
  cause: 'typed-twice',
  detect(context) {
    const { workflow, graph } = context;
    const byKey = new Map<string, Transcription>();
    // keyed by the set of steps, so a manual flow and a repeated item between the same steps merge
    const entry = (steps: Step[]): Transcription => {
      const key = sortedIds(steps.map((s) => s.id)).join('\u0000');
      let t = byKey.get(key);
      if (!t) {
        t = { steps, items: new Set(), manualFlow: false, systems: new Set() };
        byKey.set(key, t);
      }
      for (const s of steps) t.systems.add(s.system);
      return t;
    };
    // flows in (from, to) order, so the file order cannot decide which of two opposite flows names the pair
    const ordered = [...workflow.flows].sort((a, b) => compareIds(a.from, b.from) || compareIds(a.to, b.to));
    for (const flow of ordered) {
      if (flow.transfer !== 'manual') continue;
      const from = graph.steps.get(flow.from);
      const to = graph.steps.get(flow.to);
      if (!from || !to || from.system === to.system) continue;
      const edge = (graph.outgoing.get(from.id) ?? []).find((e) => e.to === to.id);
      if (!edge || edge.probability <= EPSILON || !isReached(context, from.id)) continue;
      const t = entry([from, to]);
      t.steps = [from, to]; // a manual flow has a direction: from the source to the re-keying step
      t.manualFlow = true;
      // items the receiving step types that the sending step also held are what was copied
      for (const item of to.enters) if (from.enters.includes(item)) t.items.add(item);
    }
    for (const repeated of repeatedItems(context)) {
      const systems = new Set(repeated.steps.map((s) => s.system));
      if (systems.size < 2) continue;
      entry(repeated.steps).items.add(repeated.item);
    }
    const findings: Finding[] = [];
    for (const key of [...byKey.keys()].sort(compareIds)) {
      const t = byKey.get(key) as Transcription;
      const items = sortedIds(t.items);
      const clinical = items.filter(isClinicalItem);
      const names = t.steps.map((s) => quoted(s));
      const how = t.manualFlow
        ? `A person copies data by hand from ${names.join(' into ')}`
        : `The same data is typed in ${names.join(' and in ')}`;
      const what = items.length > 0 ? ` (${items.join(', ')})` : '';
      findings.push(
        finding(
          ID,
          clinical.length > 0 ? raised(context.severity) : context.severity,
          t.steps.map((s) => s.id),
          `${how}, across ${t.systems.size} systems (${sortedIds(t.systems).join(', ')})${what}. ${whyOf(items)}`,
          {
            items,
            clinicalItems: clinical,
            systems: sortedIds(t.systems),
            manualFlow: t.manualFlow,
            errorRateManual: MANUAL_ERROR_RATE,
            errorRateManualLow: MANUAL_ERROR_RATE_LOW,
            errorRateInterfaced: INTERFACED_ERROR_RATE,
          },
        ),
      );
    }
    return findings;
  },
};
