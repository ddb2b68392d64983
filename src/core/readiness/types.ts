/**
 * The shape of a readiness result: five phases, each with a status, the evidence it was judged
 * on, its reasons and the place to act, and the overall go/no-go with the gates in effect. The
 * CLI prints it as JSON (`preflight readiness --json`), so it is public: extend with optional
 * fields only.
 */

import type {
  CommandCentre,
  CutoverStep,
  CutoverStepKind,
  CutoverStepStatus,
} from '../../formats/cutover.ts';
import type { PartnerStatus } from '../../formats/goLivePreparation.ts';
import type { FormatProblem } from '../../formats/loading.ts';
import type { ReadinessGates, SafetyGate } from '../../formats/readinessGates.ts';
import type { SaferGuideId, SafetyAnswer, SafetyStatus } from '../../formats/steering.ts';
import type { ForecastComparison } from '../forecast/index.ts';

/** The five phases where go-lives fail, in order. */
export const PHASE_IDS = ['discovery', 'configuration', 'training', 'pre-launch', 'go-live'] as const;

/** One phase. */
export type PhaseId = (typeof PHASE_IDS)[number];

/**
 * `ready`: every check of the phase passes on evidence the project holds; `at-risk`: nothing blocks
 * but something needs a person's attention; `blocked`: a gate fails or evidence a gate needs is
 * missing; `not-started`: the project holds none of the phase's evidence.
 */
export type PhaseStatus = 'ready' | 'at-risk' | 'blocked' | 'not-started';

/** The workspace where a reason is acted on. */
export type ActOn = 'workflows' | 'migration' | 'signoff' | 'readiness';

/** A reason a phase is not ready, in plain words, with where to act and the gate it breaks (if any). */
export interface ReadinessReason {
  text: string;
  /** true when it stops a go: a gate fails, evidence a gate needs is missing, or the phase has not started */
  blocks: boolean;
  act: ActOn;
  /** the gate this reason fails; absent for a risk no gate covers */
  gate?: keyof ReadinessGates;
}

/** One phase's readiness. */
export interface PhaseReadiness {
  id: PhaseId;
  name: string;
  status: PhaseStatus;
  /** what the phase was judged on: numbers and dates, one line each */
  evidence: string[];
  /** why it is blocked, at risk or not started; empty when ready */
  reasons: ReadinessReason[];
  /** the workspace where most of this phase's work is done */
  act: ActOn;
}

/** A reason with the phase it belongs to. */
export type PhaseReason = ReadinessReason & { phase: PhaseId };

/** The whole result. */
export interface ReadinessResult {
  /** go: no phase is blocked or not started */
  decision: 'go' | 'no-go';
  /** why no-go: every reason that blocks, in phase order; empty on go */
  reasons: PhaseReason[];
  /** what needs attention without blocking, in phase order; a go may carry risks */
  risks: PhaseReason[];
  /** the gates in effect for this result */
  gates: ReadinessGates;
  /** problems of the gates as written in the project (each took its default) */
  gateProblems: FormatProblem[];
  phases: PhaseReadiness[];
  /** the safety self-assessment, practice by practice, guide by guide (it feeds the go-live phase) */
  safety: AssessedSafetyItem[];
  /** the self-assessment per SAFER guide, each against its gate */
  safetyGuides: AssessedSaferGuide[];
  /** the cutover runbook and the command centre as judged (each null until recorded) */
  cutover: CutoverSummary;
  /** the dress rehearsal, the communication plan and vendor/interface readiness as judged */
  preparation: PreparationSummary;
  /** the first weeks after go-live: each planned workflow's last go-live check and the issue log */
  afterGoLive: AfterGoLive;
  /** what the meeting looks at first: the phases in a row, rehearsal trends, sign-off bounds, capacity */
  board: ReadinessBoard;
  /**
   * the steering committee's latest decision and whether it is current; not part of what the
   * result's hash covers (steering.ts `readinessResultHash`), since a decision binds that hash
   */
  steering: SteeringState;
}

/** One practice of the self-assessment. */
export interface SafetyItem {
  id: string;
  /** the SAFER guide it belongs to */
  guide: SaferGuideId;
  title: string;
  /** what "fully in place" means, one sentence */
  asks: string;
}

/** What the project's evidence says about an item. */
export interface SafetyEvidence {
  /** the status the evidence gives; absent: it informs but does not decide */
  status?: SafetyStatus;
  /** the evidence, one line each */
  lines: string[];
}

/** One item as assessed now. */
export interface AssessedSafetyItem extends SafetyItem {
  /** the status in effect: the person's, else the evidence's, else `unassessed` */
  status: SafetyStatus | 'unassessed';
  evidence: SafetyEvidence;
  /** the person's answer, when there is one */
  answer?: SafetyAnswer;
  /** true when a person set a status that differs from the evidence's */
  overridden: boolean;
}

/** One SAFER guide as assessed now. */
export interface AssessedSaferGuide {
  id: SaferGuideId;
  title: string;
  /** the gate in effect for this guide (its own, else `safetyItemsAtLeast`) */
  gate: SafetyGate;
  /** how many of its practices are at each status */
  counts: Record<SafetyStatus | 'unassessed', number>;
  /**
   * `met`: every applicable practice is at or above the gate; `below`: one is under it or not
   * assessed; `off`: the gate is off, so the guide informs and does not block
   */
  state: 'met' | 'below' | 'off';
}

/** The latest decision and whether it still binds the readiness result now. */
export interface SteeringState {
  /** SHA-256 of the readiness result now (what a new decision binds) */
  resultSha256: string;
  /** the latest decision, when one was recorded */
  latest?: {
    id: string;
    decision: 'go' | 'no-go';
    readiness: 'go' | 'no-go';
    rationale: string;
    recordedAt: string;
    resultSha256: string;
    signers: {
      name: string;
      role: string;
      id: string;
      signedAt: string;
      reauthentication: 'webauthn' | 'none';
    }[];
    /** current: the result still hashes as it did; stale: evidence changed after the decision */
    state: 'current' | 'stale';
  };
  /** how many decisions were recorded before the latest */
  earlier: number;
}

/** The runbook's state: `incomplete` while an essential or a step's owner, time or order is wanting. */
export type RunbookState = 'incomplete' | 'planned' | 'under-way' | 'blocked' | 'done';

/** One step as judged: what is wrong with it, in a clinic's words (empty when nothing is). */
export type JudgedStep = CutoverStep & { problems: string[] };

/** The runbook as judged. */
export interface RunbookSummary {
  state: RunbookState;
  steps: JudgedStep[];
  counts: Record<CutoverStepStatus, number>;
  /** the essential kinds of step it has none of */
  missing: CutoverStepKind[];
  /** the earliest step not done, skipped or blocked */
  next?: Pick<CutoverStep, 'id' | 'title' | 'owner' | 'plannedAt'>;
  /** what the reconciliation sign-off rests on: the migration runs and the sign-off, as Pre-launch judges them */
  reconciliation: string[];
}

/** The command centre as judged. */
export interface CommandCentreSummary {
  state: 'incomplete' | 'ready';
  /** what is still to record, in a clinic's words */
  missing: string[];
  centre: CommandCentre;
}

/** The cutover part of a readiness result. */
export interface CutoverSummary {
  runbook: RunbookSummary | null;
  commandCentre: CommandCentreSummary | null;
}

/** What a record judged gives its phase. */
export interface JudgedPart {
  evidence: string[];
  reasons: ReadinessReason[];
}

/** A preparation record's state: `ready` when nothing about it is wanting. */
export type PreparationState = 'not-recorded' | 'incomplete' | 'ready';

/** The preparation part of a readiness result. */
export interface PreparationSummary {
  rehearsal: {
    state: PreparationState;
    roles: number;
    scriptsRun: number;
    scriptsPassed: number;
    issuesOpen: number;
    peakLoad?: { casesPerHour: number; outcome: 'held' | 'failed'; simulatedPeak: number };
  };
  communication: { state: PreparationState; items: number; done: number };
  partners: { state: PreparationState; counts: Record<PartnerStatus, number> };
}

/** One planned workflow's first weeks. */
export interface AfterGoLiveWorkflow {
  workflow: string;
  log: string;
  checkedAt: string;
  /** the workflow was edited after the check: its figures no longer describe it */
  stale: boolean;
  cases: number;
  fitness: number;
  conformingShare: number;
  /** occurrences of activities the design lacks, per case */
  workaroundShare: number;
  /** steps whose median wait is beyond the designed wait and its tolerance */
  longerWaits: { step: string; medianMin: number; designedMin: number }[];
  slowerSteps: string[];
}

/** The first weeks after go-live. */
export interface AfterGoLive {
  workflows: AfterGoLiveWorkflow[];
  /** the issue log by day: each day's count per category */
  issuesByDay: { day: string; counts: Record<string, number>; total: number }[];
  openIssues: number;
}

/** One phase in the board's row. */
export interface BoardPhase {
  id: PhaseReadiness['id'];
  name: string;
  status: PhaseStatus;
  /** reasons that block */
  blocking: number;
  /** reasons that need attention without blocking */
  risks: number;
}

/** The rehearsals of one extract, oldest first. */
export interface BoardRehearsal {
  dataset: string;
  runs: {
    /** the day it was checked (YYYY-MM-DD) */
    day: string;
    /** the share of valid records */
    validShare: number;
    /** at or over the gate with no finding across files (findings across files fail a run whatever its share) */
    passes: boolean;
  }[];
  /** the last run against the one before: better, worse or the same share; `first` with one run */
  trend: 'better' | 'worse' | 'same' | 'first' | 'none';
}

/** One sample plan's verdict with its bound. */
export interface BoardSignoff {
  plan: string;
  /** `open`: records wait for a reviewer or an adjudicator (the bound counts them at worst); else `pass` when every stratum passes, `fail` when one does not; `none`: no sample drawn or no verdict */
  verdict: 'pass' | 'fail' | 'open' | 'none';
  /** the population-weighted upper bound on the error rate, at `confidence` */
  upperBound?: number;
  target?: number;
  confidence?: number;
  reviewed?: number;
  drawn?: number;
}

/** One planned workflow's capacity against its two gates. */
export interface BoardCapacity {
  workflow: string;
  /** the busiest role at the peak hour, when it can be computed */
  peak?: { role: string; utilisation: number };
  /** the busiest role in go-live week at the planned bookings, when it can be computed */
  goLive?: { role: string; utilisation: number };
  /** `within`: both under their gates; `over`: one is over; `unknown`: one cannot be computed */
  verdict: 'within' | 'over' | 'unknown';
}

/**
 * The command centre's issue log on the board: what is open per triage category and how many were
 * logged each day after go-live. All zero before go-live: the log is empty until then.
 */
export interface BoardIssues {
  /** the command centre's triage categories in its order (the first the most urgent), then any other category an issue was logged under */
  categories: { name: string; open: number; logged: number }[];
  /** each day an issue was logged, oldest first */
  days: {
    /** YYYY-MM-DD */
    day: string;
    /** 1 on the go-live day, 2 the day after…; absent when the go-live day is not recorded or the day is before it */
    afterGoLive?: number;
    logged: number;
    /** of those, still open */
    open: number;
  }[];
  open: number;
  logged: number;
  /** the planned go-live day (the rollback plan's), YYYY-MM-DD, when recorded */
  goLiveDay?: string;
}

/**
 * An extract whose latest shared summary kept none of its problems (see `ReadinessBoard.dataLeftOut`):
 * there were too many to keep (`problems`), or the summary was shared before summaries kept
 * problems (`predatesProblems`).
 */
export type BoardDataLeftOut =
  | {
      /** the dataset's name */
      dataset: string;
      /** the problems the run had, left out of its summary */
      problems: number;
    }
  | {
      /** the dataset's name */
      dataset: string;
      /** the summary was shared before summaries kept their problems: the check must run again */
      predatesProblems: true;
    };

/**
 * A failing column or element of an extract's latest check and what depends on it, from the
 * project's data dictionary (src/core/trace): the board orders these by cases an hour, most first.
 */
export interface BoardDataRisk {
  /** the dataset's name */
  dataset: string;
  /** the column (or FHIR element path) that fails */
  location: string;
  /** the checks that fail there */
  rules: string[];
  /** problems there, over those checks */
  count: number;
  /** the workflow steps that use its data */
  steps: number;
  /** their roles, most cases an hour first */
  roles: string[];
  /** cases an hour through those steps at peak, summed */
  casesPerHour: number;
  /**
   * the share of the file's records that fail there (problems over records, at most 1; 1 when the
   * run could not tell its records)
   */
  share: number;
  /**
   * what the board orders by: `casesPerHour` × `share`, how many times an hour at peak someone
   * works with a record whose data fails there
   */
  weight: number;
}

/**
 * One planned workflow's go-live forecast against what its go-live check's log showed
 * (src/core/forecast): only for checks that kept what the log showed (`observed`).
 */
export interface BoardForecast {
  workflow: string;
  /** the event log's file name */
  log: string;
  /** when the check finished (RFC 3339) */
  checkedAt: string;
  /** the workflow was edited after the check: its forecast is no longer the one checked, nothing is compared */
  stale: boolean;
  /** the figures side by side with how far off each was; absent when stale */
  comparison?: ForecastComparison;
}

/** The board of a readiness result. */
export interface ReadinessBoard {
  phases: BoardPhase[];
  rehearsals: BoardRehearsal[];
  signoff: BoardSignoff[];
  capacity: BoardCapacity[];
  /** the command centre's issue log; absent when no command centre is recorded */
  issues?: BoardIssues;
  /**
   * the failing data of each extract's latest check that workflow steps use, most cases an hour
   * first; absent when nothing failing is linked in the data dictionary
   */
  dataRisks?: BoardDataRisk[];
  /**
   * the extracts whose latest check is known by a shared summary that kept none of its problems,
   * there being too many to keep or the summary being older than summaries that keep them: their
   * failing data cannot be traced, and the board says so;
   * absent when there is none, or nothing is linked in the data dictionary
   */
  dataLeftOut?: BoardDataLeftOut[];
  /**
   * after go-live: each planned workflow's forecast against its go-live check's log; absent when
   * no check kept what its log showed
   */
  forecasts?: BoardForecast[];
}
