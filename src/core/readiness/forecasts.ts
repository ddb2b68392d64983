/**
 * Forecast vs what happened, on the board: each planned workflow's go-live forecast set beside
 * what its go-live check's log showed (src/core/forecast), and the same figures in the words a
 * clinic's staff use — patients an hour, how busy each role was, staff speed against normal, time
 * per patient — with how far off the forecast was and what could not be compared. Demand and how
 * busy each role was are read at the log's busiest hour (the forecast is for the peak hour), the
 * average beside them; an older check without the busiest hour reads as the average. The browser,
 * the CLI and the printed pack all read these words. Pure.
 */
import type { Project } from '../../formats/project.ts';
import { compareForecast, type ForecastFigure } from '../forecast/index.ts';
import { canonicalSha256Hex } from '../hash/index.ts';
import type { BoardForecast } from './types.ts';
import { count, day, percent, plural } from './words.ts';

/** The forecast of each planned workflow whose go-live check kept what its log showed, in check order. */
export function boardForecasts(project: Project): BoardForecast[] {
  return (project.workflowChecks ?? []).flatMap((check): BoardForecast[] => {
    const workflow = project.workflows.find((w) => w.id === check.id);
    if (!workflow || !check.observed) return [];
    const head = { workflow: workflow.name, log: check.log, checkedAt: check.checkedAt };
    if (canonicalSha256Hex(workflow) !== check.workflowSha256) return [{ ...head, stale: true }];
    return [{ ...head, stale: false, comparison: compareForecast(workflow, check.observed) }];
  });
}

/** A figure with at most one decimal: 2.5 → "2.5", 3 → "3". */
function num(value: number): string {
  const tenths = Math.round(value * 10);
  return tenths % 10 === 0 ? count(tenths / 10) : (tenths / 10).toFixed(1);
}

/** "17 % under the forecast", "as forecast" (within a tenth of a per cent). */
function howFar(f: ForecastFigure): string {
  if (f.relative === null) return f.difference === 0 ? 'as forecast' : 'where none was forecast';
  const share = Math.abs(f.relative);
  if (share < 0.0005) return 'as forecast';
  return `${percent(share)} ${f.relative > 0 ? 'over' : 'under'} the forecast`;
}

/** A difference of shares in percentage points: "4.2 points more". */
function points(difference: number, more: string, less: string): string {
  const p = Math.abs(difference) * 100;
  if (p < 0.05) return 'the same';
  return `${num(p)} ${p === 1 ? 'point' : 'points'} ${difference > 0 ? more : less}`;
}

/** The words of one workflow's forecast against what happened. */
interface ForecastWords {
  /** which workflow, which log, how much of it */
  head: string;
  /** the figures side by side, one line each */
  lines: string[];
  /** what could not be compared, and why */
  notCompared: string[];
}

/** The words of `forecast` (see the header). */
export function forecastWords(forecast: BoardForecast): ForecastWords {
  const { comparison: c } = forecast;
  const checked = `${forecast.log}, checked ${day(forecast.checkedAt)}`;
  if (forecast.stale || !c)
    return {
      head: `“${forecast.workflow}” (${checked})`,
      lines: [],
      notCompared: [
        'Nothing: the workflow was edited after this check, so its forecast is no longer the one the log was checked against. Check the log again.',
      ],
    };
  const lines: string[] = [];
  const peak = c.peak;
  if (peak?.capacityFactor && c.casesPerHour && c.capacityFactor)
    lines.push(
      `Patients an hour: forecast ${num(peak.casesPerHour.forecast)} (${percent(peak.capacityFactor.forecast)} of normal bookings), seen ${num(peak.casesPerHour.observed)} in the busiest hour (${percent(peak.capacityFactor.observed)}) — ${howFar(peak.casesPerHour)}; ${num(c.casesPerHour.observed)} on average (${percent(c.capacityFactor.observed)}).`,
    );
  else if (c.casesPerHour && c.capacityFactor)
    lines.push(
      `Patients an hour: forecast ${num(c.casesPerHour.forecast)} (${percent(c.capacityFactor.forecast)} of normal bookings), seen ${num(c.casesPerHour.observed)} (${percent(c.capacityFactor.observed)}) — ${howFar(c.casesPerHour)}.`,
    );
  if (c.productivityFactor)
    lines.push(
      `Staff speed: ${c.typed ? 'planned' : 'assumed (the workflow states none)'} ${percent(c.productivityFactor.forecast)} of normal, seen ${percent(c.productivityFactor.observed)} — ${points(c.productivityFactor.difference, 'faster', 'slower')}.`,
    );
  if (c.cycleMin)
    lines.push(
      `Time per patient: forecast ${num(c.cycleMin.forecast)} min, seen ${num(c.cycleMin.observed)} min — ${howFar(c.cycleMin)}.`,
    );
  for (const role of c.roles) {
    if (!role.utilisation || !role.productivity) continue;
    const seen = role.people > 0 ? `, ${plural(role.people, 'person', 'people')} in the log` : '';
    const speed = `speed ${percent(role.productivity.observed)} of normal (${c.typed ? 'planned' : 'assumed'} ${percent(role.productivity.forecast)})`;
    const busy = role.peakUtilisation;
    lines.push(
      busy
        ? `${role.role} (${count(role.staff)} on shift${seen}): forecast ${percent(busy.forecast, 'up')} busy, seen ${percent(busy.observed, 'up')} in the busiest hour — ${points(busy.difference, 'busier', 'less busy')} (${howFar(busy)}); ${percent(role.utilisation.observed, 'up')} on average; ${speed}.`
        : `${role.role} (${count(role.staff)} on shift${seen}): forecast ${percent(role.utilisation.forecast, 'up')} busy, seen ${percent(role.utilisation.observed, 'up')} — ${points(role.utilisation.difference, 'busier', 'less busy')} (${howFar(role.utilisation)}); ${speed}.`,
    );
  }
  return {
    head: `“${forecast.workflow}” (${checked}; ${plural(c.cases, 'case')} over ${plural(c.activeHours, 'working hour')})`,
    lines,
    notCompared: c.notCompared.map((n) => `${n.subject}: ${n.reason}`),
  };
}

/** What every reader of these figures needs to know: the forecast is for the busiest hour. */
export const FORECAST_CAVEAT =
  'The forecast is for the busiest hour of go-live week, so it is set beside the busiest hour of the log (the clock hour in which the most patients started), with the average over the hours the log shows work in after it; a check kept before the busiest hour was recorded has the average only, which quiet hours pull down.';

/** The forecasts in lines of text, as the CLI and the printed pack print them. */
export function forecastLines(forecasts: readonly BoardForecast[]): string[] {
  if (forecasts.length === 0) return [];
  const lines = [`Forecast vs what happened after go-live. ${FORECAST_CAVEAT}`];
  for (const f of forecasts) {
    const words = forecastWords(f);
    lines.push(
      [
        `  ${words.head}:`,
        ...words.lines.map((l) => `    ${l}`),
        ...words.notCompared.map((l) => `    Not compared — ${l}`),
      ].join('\n'),
    );
  }
  return lines;
}
