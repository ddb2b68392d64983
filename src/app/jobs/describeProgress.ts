/**
 * A job's progress in words and as a bar value, for the header (JobsIndicator) and the screens that
 * show a job's progress bar. Pure, so each wording is tested as a table.
 *
 * Constraint: while a job works past its count (`progress.step`: a validation that has read every
 * byte and now checks keys across the file) it says what it is doing and shows no rate or time
 * left — those no longer move, and "99 % · about 0 s left" for seconds reads as a hang. Its bar is
 * indeterminate then (no value): how long the step takes is not known.
 */
import { PROGRESS_STEP_TEXT, type Progress } from '../../core/jobs/progress.ts';
import { formatBytes, formatCount, formatDuration } from '../common/format.ts';

/** Percent is shown on a scale of 100. */
export const PERCENT = 100;

/** The bar's value (0–100), or undefined for an indeterminate bar (no total, or a step). */
export function progressPercent(progress: Progress | null): number | undefined {
  if (!progress?.total || progress.step) return undefined;
  return Math.floor((progress.done / progress.total) * PERCENT);
}

/** `n` of the progress's unit: "120.0 MB", "1,200 rows". */
function progressCount(progress: Progress, n: number): string {
  return progress.unit === 'bytes' ? formatBytes(n) : `${formatCount(n)} ${progress.unit}`;
}

/**
 * "45 % · 120.0 MB of 268.4 MB · 150.2 MB/s · about 1 s left", in the job's own unit; during a
 * step: "Checking duplicate keys and references… · all 268.4 MB read".
 */
export function describeProgress(progress: Progress | null): string {
  if (!progress) return 'starting…';
  const count = (n: number) => progressCount(progress, n);
  const parts: string[] = [];
  if (progress.step) {
    parts.push(`${PROGRESS_STEP_TEXT[progress.step]}…`);
    parts.push(
      progress.total === null
        ? `${count(progress.done)} read`
        : progress.done >= progress.total
          ? `all ${count(progress.total)} read`
          : `${count(progress.done)} of ${count(progress.total)} read`,
    );
    return parts.join(' · ');
  }
  if (progress.total) parts.push(`${Math.floor((progress.done / progress.total) * PERCENT)} %`);
  parts.push(
    progress.total === null ? count(progress.done) : `${count(progress.done)} of ${count(progress.total)}`,
  );
  if (progress.ratePerSecond > 0) parts.push(`${count(Math.round(progress.ratePerSecond))}/s`);
  if (progress.etaSeconds !== null) parts.push(`about ${formatDuration(progress.etaSeconds)} left`);
  return parts.join(' · ');
}
