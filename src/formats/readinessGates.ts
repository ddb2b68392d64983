/**
 * The readiness gates of a project: the thresholds a clinic sets for its go/no-go, kept in the
 * project under `meta.settings.readinessGates` (`#/$defs/readinessGates` of project.schema.json,
 * which holds each gate's range and documented default; {@link DEFAULT_READINESS_GATES} repeats
 * the defaults for the code and a test proves the two agree).
 *
 * Public format: every field is optional (a gate left out takes its default) and new gates are
 * added as optional fields only. The project schema refuses a gate out of range on import and
 * storage refuses to save one, so {@link readReadinessGates} only has to fill in defaults; it
 * still reports (and replaces by its default) a value of the wrong kind, so a project written by
 * hand never turns a gate off silently.
 */
import { type FormatProblem, isPlainObject, PROBLEM_CODES, pointer, problem } from './loading.ts';
import { SAFER_GUIDE_IDS, type SaferGuideId } from './steering.ts';

/** Where a project keeps its gates: `meta.settings[PROJECT_READINESS_GATES_KEY]`. */
export const PROJECT_READINESS_GATES_KEY = 'readinessGates';

/** Which open workflow findings block a go-live: problems only, or warnings too. */
export type FindingsGate = 'error' | 'warn';

/** How far every safety self-assessment item must be in place: fully, at least partially, or not judged. */
export type SafetyGate = 'full' | 'partial' | 'off';

/** The gates in effect, every one resolved. */
export interface ReadinessGates {
  /** every checked extract has at least this share of valid records (0–1) */
  minValidShare: number;
  /** every sample plan has a drawn sample whose strata all pass, approved for go-live by a signature covering the results as they are */
  requireSignoff: boolean;
  /** open findings of planned workflows at this severity or above block the go-live */
  findingsBlockAt: FindingsGate;
  /** every staffed role of a planned workflow stays at or under this utilisation at the peak hour (0–1) */
  maxPeakUtilisation: number;
  /** every staffed role stays at or under this utilisation in go-live week, at the planned bookings and productivity (0–1) */
  maxGoLiveUtilisation: number;
  /** every safety self-assessment item is at least this far in place (`off`: it does not block) */
  safetyItemsAtLeast: SafetyGate;
  /** a gate per SAFER guide, for the guides the clinic set one for (the others take `safetyItemsAtLeast`) */
  safetyGuides: Partial<Record<SaferGuideId, SafetyGate>>;
  /** once training is recorded: every role whose work changes has at least this share of its staff trained (0–1) */
  minTrainedShare: number;
  /** once training is recorded: every role whose work changes has a named super-user */
  superUserPerRole: boolean;
  /** once go-live support is recorded: every area and shift has at least this many at-the-elbow supporters */
  minSupportPerShift: number;
  /** a rollback/downtime plan marked absent or missing an essential blocks the go-live (false: a risk only) */
  requireRollbackPlan: boolean;
  /** the last downtime drill took place at most this many days before the planned go-live day */
  maxDrillAgeDays: number;
  /** a dress rehearsal missing or wanting (a role whose work changes without a mock go-live, failed scripts, open issues, no peak-load run at the simulated peak) blocks (false: a risk only) */
  requireDressRehearsal: boolean;
  /** a vendor or interface partner not ready or without an owner blocks (false: a risk only) */
  requirePartnersReady: boolean;
}

/** The gates as written in a project: each optional. */
export type ReadinessGatesInput = Partial<ReadinessGates>;

/** The documented defaults (project.schema.json `#/$defs/readinessGates`). */
export const DEFAULT_READINESS_GATES: Readonly<ReadinessGates> = Object.freeze({
  minValidShare: 0.99,
  requireSignoff: true,
  findingsBlockAt: 'error',
  maxPeakUtilisation: 0.85,
  maxGoLiveUtilisation: 0.85,
  safetyItemsAtLeast: 'partial',
  safetyGuides: Object.freeze({}),
  minTrainedShare: 0.9,
  superUserPerRole: true,
  minSupportPerShift: 1,
  requireRollbackPlan: true,
  maxDrillAgeDays: 90,
  requireDressRehearsal: false,
  requirePartnersReady: false,
});

/** The share gates: a number from 0 to 1 (a utilisation limit above 0). */
const SHARE_GATES = [
  'minValidShare',
  'maxPeakUtilisation',
  'maxGoLiveUtilisation',
  'minTrainedShare',
] as const;

/** The gates in effect and what was wrong with the input (each wrong value took its default). */
export interface ReadGates {
  gates: ReadinessGates;
  problems: FormatProblem[];
}

/**
 * The gates of a project's `meta.settings` object, every one resolved: a gate left out takes its
 * default, and so does a value of the wrong kind (reported at its JSON Pointer under `basePath`).
 * Never throws.
 */
export function readReadinessGates(
  settings: Readonly<Record<string, unknown>>,
  basePath = '/meta/settings',
): ReadGates {
  const gates: ReadinessGates = { ...DEFAULT_READINESS_GATES };
  const problems: FormatProblem[] = [];
  const input = settings[PROJECT_READINESS_GATES_KEY];
  const at = (field: string) => `${basePath}${pointer(PROJECT_READINESS_GATES_KEY, field)}`;
  if (input === undefined) return { gates, problems };
  if (!isPlainObject(input)) {
    problems.push(
      problem(
        `${basePath}${pointer(PROJECT_READINESS_GATES_KEY)}`,
        PROBLEM_CODES.wrongType,
        'the readiness gates must be an object; the defaults apply',
      ),
    );
    return { gates, problems };
  }
  for (const field of SHARE_GATES) {
    const value = input[field];
    if (value === undefined) continue;
    const lowest = field === 'minValidShare' || field === 'minTrainedShare' ? 0 : Number.MIN_VALUE;
    if (typeof value === 'number' && value >= lowest && value <= 1) gates[field] = value;
    else
      problems.push(
        problem(at(field), PROBLEM_CODES.outOfRange, 'must be a share from 0 to 1; the default applies'),
      );
  }
  if (input.superUserPerRole !== undefined) {
    if (typeof input.superUserPerRole === 'boolean') gates.superUserPerRole = input.superUserPerRole;
    else
      problems.push(
        problem(
          at('superUserPerRole'),
          PROBLEM_CODES.wrongType,
          'must be true or false; the default applies',
        ),
      );
  }
  if (input.minSupportPerShift !== undefined) {
    const value = input.minSupportPerShift;
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)
      gates.minSupportPerShift = value;
    else
      problems.push(
        problem(
          at('minSupportPerShift'),
          PROBLEM_CODES.outOfRange,
          'must be a whole number of 0 or more; the default applies',
        ),
      );
  }
  if (input.requireRollbackPlan !== undefined) {
    if (typeof input.requireRollbackPlan === 'boolean') gates.requireRollbackPlan = input.requireRollbackPlan;
    else
      problems.push(
        problem(
          at('requireRollbackPlan'),
          PROBLEM_CODES.wrongType,
          'must be true or false; the default applies',
        ),
      );
  }
  if (input.maxDrillAgeDays !== undefined) {
    const value = input.maxDrillAgeDays;
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) gates.maxDrillAgeDays = value;
    else
      problems.push(
        problem(
          at('maxDrillAgeDays'),
          PROBLEM_CODES.outOfRange,
          'must be a whole number of days, 0 or more; the default applies',
        ),
      );
  }
  for (const field of ['requireDressRehearsal', 'requirePartnersReady'] as const) {
    const value = input[field];
    if (value === undefined) continue;
    if (typeof value === 'boolean') gates[field] = value;
    else
      problems.push(
        problem(at(field), PROBLEM_CODES.wrongType, 'must be true or false; the default applies'),
      );
  }
  if (input.requireSignoff !== undefined) {
    if (typeof input.requireSignoff === 'boolean') gates.requireSignoff = input.requireSignoff;
    else
      problems.push(
        problem(at('requireSignoff'), PROBLEM_CODES.wrongType, 'must be true or false; the default applies'),
      );
  }
  if (input.findingsBlockAt !== undefined) {
    if (input.findingsBlockAt === 'error' || input.findingsBlockAt === 'warn')
      gates.findingsBlockAt = input.findingsBlockAt;
    else
      problems.push(
        problem(
          at('findingsBlockAt'),
          PROBLEM_CODES.notAllowed,
          'must be "error" or "warn"; the default applies',
        ),
      );
  }
  if (input.safetyItemsAtLeast !== undefined) {
    if (
      input.safetyItemsAtLeast === 'full' ||
      input.safetyItemsAtLeast === 'partial' ||
      input.safetyItemsAtLeast === 'off'
    )
      gates.safetyItemsAtLeast = input.safetyItemsAtLeast;
    else
      problems.push(
        problem(
          at('safetyItemsAtLeast'),
          PROBLEM_CODES.notAllowed,
          'must be "full", "partial" or "off"; the default applies',
        ),
      );
  }
  if (input.safetyGuides !== undefined) {
    if (!isPlainObject(input.safetyGuides))
      problems.push(
        problem(
          at('safetyGuides'),
          PROBLEM_CODES.wrongType,
          'must be an object of SAFER guide ids and gates; every guide takes safetyItemsAtLeast',
        ),
      );
    else {
      const perGuide: Partial<Record<SaferGuideId, SafetyGate>> = {};
      for (const [guide, gate] of Object.entries(input.safetyGuides)) {
        if (!(SAFER_GUIDE_IDS as readonly string[]).includes(guide))
          problems.push(
            problem(
              `${at('safetyGuides')}${pointer(guide)}`,
              PROBLEM_CODES.notAllowed,
              'is not a SAFER guide; it is left out',
            ),
          );
        else if (gate === 'full' || gate === 'partial' || gate === 'off')
          perGuide[guide as SaferGuideId] = gate;
        else
          problems.push(
            problem(
              `${at('safetyGuides')}${pointer(guide)}`,
              PROBLEM_CODES.notAllowed,
              'must be "full", "partial" or "off"; safetyItemsAtLeast applies',
            ),
          );
      }
      gates.safetyGuides = perGuide;
    }
  }
  return { gates, problems };
}

/** `settings` with `gates` written under {@link PROJECT_READINESS_GATES_KEY} (a new object). */
export function withReadinessGates(
  settings: Readonly<Record<string, unknown>>,
  gates: ReadinessGatesInput,
): Record<string, unknown> {
  return { ...settings, [PROJECT_READINESS_GATES_KEY]: { ...gates } };
}
