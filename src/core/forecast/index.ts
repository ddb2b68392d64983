/**
 * Forecasts checked: a workflow's go-live forecast (the load per role, the patients per hour, the
 * staff speed and the time per case the capacity model gave for go-live week) against what a
 * go-live event log shows, with how far off each figure was and what could not be compared.
 * `observeGoLive` reads the log once (in the browser's worker, or in `preflight workflow conform
 * --keep`, beside the go-live check) into counts and minutes the project keeps, its busiest hour
 * among them; `compareForecast` sets the forecast beside them whenever the board is drawn. This
 * file is the module's surface.
 */
import type { Workflow } from '../../formats/workflow.ts';
import type { EventLog } from '../workflow/eventlog/index.ts';
import { compareForecast, type ForecastComparison } from './compare.ts';
import { type ObserveOptions, observeGoLive } from './observe.ts';

export {
  compareForecast,
  type ForecastComparison,
  type ForecastFigure,
  figure,
  MIN_CASES,
  MIN_TIMED,
} from './compare.ts';
export { type GoLiveObservation, observeGoLive } from './observe.ts';

/** The forecast of `workflow` against `log` in one call: {@link compareForecast} of {@link observeGoLive}. */
export function checkForecast(
  workflow: Workflow,
  log: EventLog,
  options: ObserveOptions = {},
): ForecastComparison {
  return compareForecast(workflow, observeGoLive(log, workflow, options));
}
