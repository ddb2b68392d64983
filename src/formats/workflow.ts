/**
 * `preflight.workflow/v1`: one state (current or future) of one clinic process.
 * Public format: users' files depend on it. Extend only with optional fields; anything
 * else needs a v2 tag, a migration in this file and a note in the README.
 */

export const WORKFLOW_FORMAT = 'preflight.workflow/v1';

export type WorkflowState = 'current' | 'future';
export type StepKind = 'start' | 'end' | 'task' | 'decision' | 'approval' | 'wait';
export type StepMedium = 'paper' | 'fax' | 'phone' | 'verbal' | 'digital';
export type FlowTransfer = 'none' | 'electronic' | 'manual' | 'paper';

/** A role in the clinic; `staff` is how many people fill it on shift (its queueing capacity). */
export interface Lane {
  id: string;
  name: string;
  staff: number;
}

export interface Step {
  id: string;
  label: string;
  /** id of the lane (role) that does this step */
  lane: string;
  kind: StepKind;
  medium: StepMedium;
  /** the system the step works in: "EHR", "Lab portal", "Paper chart", "Spreadsheet" */
  system: string;
  /** staff minutes per case */
  touchMin: number;
  /** minutes waited before the step for reasons other than its own lane being busy */
  waitMin: number;
  clicks: number;
  /** data items typed in this step, e.g. "allergies", "insurance.member_id" */
  enters: string[];
  /** future workflows only: ids of the current steps this step takes over */
  replaces?: string[];
  /** optional free text for the analyst */
  notes?: string;
  /** editor position; absent means "lay out automatically" */
  position?: { x: number; y: number };
}

export interface Flow {
  from: string;
  to: string;
  /** branch probability for flows leaving a decision; absent means 1 (or an even split) */
  probability?: number;
  transfer: FlowTransfer;
}

export interface GoLiveSettings {
  /** share of normal bookings kept in go-live week, e.g. 0.5 */
  capacityFactor: number;
  /** staff productivity in go-live week relative to normal, e.g. 0.7 */
  productivityFactor: number;
}

export interface Workflow {
  format: typeof WORKFLOW_FORMAT;
  id: string;
  name: string;
  /** groups the current and future states of one process, e.g. "patient-intake" */
  process?: string;
  description?: string;
  state: WorkflowState;
  /** future workflows: the id of the current workflow they replace (required when state is "future") */
  baseline?: string;
  /** peak demand: cases arriving per hour */
  arrivalsPerHour: number;
  /** cases per day, for daily click burden; defaults to arrivalsPerHour × 8 when absent */
  casesPerDay?: number;
  lanes: Lane[];
  steps: Step[];
  flows: Flow[];
  /** future workflows: current step ids deliberately removed */
  retired?: string[];
  goLive?: GoLiveSettings;
}
