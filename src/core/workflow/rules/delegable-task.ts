/**
 * `delegable-task`: clerical data (vital signs, demographics, insurance, prior-authorization
 * forms, scheduling) entered in a physician's lane.
 *
 * Recognition:
 * - a physician or advanced-practice lane: its name or id says physician, doctor, provider,
 *   clinician, surgeon, resident, attending, nurse practitioner or physician assistant, or its
 *   name has one of the upper-case abbreviations MD, DO, NP, PA, APP, APRN (its id: md, np,
 *   aprn — "app", "do", "pa" are ordinary words in lower case, as in a "Patient app" lane);
 * - a clerical item: its first segment is vitals, demographics, insurance, prior_auth /
 *   prior-auth / priorauth / prior_authorization, scheduling, appointment, registration,
 *   eligibility, emergency_contact or payment.
 * One finding per step (info); raised one level when the lane's utilisation at peak or in
 * go-live week reaches `utilisationLimit` (0.85): the physician's time is the bottleneck.
 *
 * Sources: primary care physicians spend 44 % of their EHR time on clerical and administrative
 * work that "could be delegated" (Arndt et al., Ann Fam Med 2017); 49 % of the office day on EHR
 * and desk work (Sinsky et al., Ann Intern Med 2016).
 */

import type { Lane } from '../../../formats/workflow.ts';
import { finding, isReached, itemRoot, laneOf, num, percent, quoted, stepsInIdOrder } from './shared.ts';
import { type Finding, raised, type WorkflowRule } from './types.ts';

const ID = 'delegable-task';

/** Role words, in a lane's name or id, any case. */
const PHYSICIAN_WORDS =
  /physician|doctor|provider|clinician|surgeon|resident|attending|nurse practitioner|physician assistant/i;
/**
 * Abbreviations in a lane's name, upper case only: lower case they are ordinary words — a
 * "Patient app" lane or a "to do" list is not an advanced-practice provider.
 */
const PHYSICIAN_ABBREVIATIONS = /\b(MD|DO|NP|PA|APP|APRN)\b/;
/** Abbreviations in a lane's id (ids are usually lower case): only those no ordinary word shares. */
const PHYSICIAN_ID_ABBREVIATIONS = /\b(md|np|aprn)\b/i;

const CLERICAL_ROOTS: ReadonlySet<string> = new Set([
  'vitals',
  'demographics',
  'insurance',
  'prior_auth',
  'prior-auth',
  'priorauth',
  'prior_authorization',
  'scheduling',
  'appointment',
  'registration',
  'eligibility',
  'emergency_contact',
  'payment',
]);

/** True for a physician or advanced-practice lane (by its name or id). */
function isPhysicianLane(lane: Lane): boolean {
  const id = lane.id.replaceAll(/[-_]/g, ' ');
  return (
    PHYSICIAN_WORDS.test(lane.name) ||
    PHYSICIAN_ABBREVIATIONS.test(lane.name) ||
    PHYSICIAN_WORDS.test(id) ||
    PHYSICIAN_ID_ABBREVIATIONS.test(id)
  );
}

/** True for a clerical data item (by its first segment). */
function isClericalItem(item: string): boolean {
  return CLERICAL_ROOTS.has(itemRoot(item));
}

/** The `delegable-task` finding rule (detection, severity and sources in the header). */
export const delegableTask: WorkflowRule = {
  id: ID,
  severity: 'info',
  title: 'Clerical work for physicians',
  describe:
    'Vital signs, demographics, insurance, prior-authorization forms or scheduling typed by a ' +
    'physician: work other staff could do. Primary care physicians spend 44 % of their EHR time ' +
    'on clerical work that "could be delegated" (Arndt et al. 2017). Louder when the physicians ' +
    'are near overload.',
  requires: [],
  detect(context) {
    const { workflow, metrics, goLive } = context;
    const limit = context.settings.thresholds.utilisationLimit;
    const findings: Finding[] = [];
    for (const step of stepsInIdOrder(workflow)) {
      const lane = laneOf(workflow, step.lane);
      if (!lane || !isPhysicianLane(lane) || !isReached(context, step.id)) continue;
      const items = [...new Set(step.enters.filter(isClericalItem))].sort();
      if (items.length === 0) continue;
      const peak = metrics?.lanes.find((l) => l.laneId === lane.id)?.utilisation ?? null;
      const live = goLive.metrics?.lanes.find((l) => l.laneId === lane.id)?.utilisation ?? null;
      const busiest = Math.max(peak ?? 0, live ?? 0);
      const nearOverload = busiest >= limit;
      findings.push(
        finding(
          ID,
          nearOverload ? raised(context.severity) : context.severity,
          [step.id],
          `In ${quoted(step)}, ${lane.name} types clerical data (${items.join(', ')}) that other staff could ` +
            `enter${nearOverload ? `, while ${lane.name} is busy ${percent(busiest)} of the time` : ''}. Physicians ` +
            'spend 44 % of their EHR time on clerical work that could be delegated (Arndt et al. 2017).',
          {
            laneId: lane.id,
            items,
            peakUtilisation: peak === null ? null : num(peak),
            goLiveUtilisation: live === null ? null : num(live),
            limit,
            nearOverload,
          },
        ),
      );
    }
    return findings;
  },
};
