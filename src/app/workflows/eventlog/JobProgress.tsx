import type { ReactNode } from 'react';
import { PROGRESS_STEP_TEXT } from '../../../core/jobs/progress.ts';
import { formatBytes, formatDuration } from '../../common/format.ts';
import type { Job } from '../../jobs/jobRegistry.ts';

const PERCENT = 100;

/**
 * A log job's progress (bytes read; once read, the step it works on, with an indeterminate bar),
 * or how it ended when it did not finish.
 */
export function JobProgress({
  job,
  what,
  failedPrefix,
}: {
  job: Job | undefined;
  /** e.g. "Reading the log" */
  what: string;
  /** e.g. "Discovery stopped" */
  failedPrefix: string;
}) {
  if (job?.status === 'running') {
    const p = job.progress;
    const share = p?.total ? Math.floor((p.done / p.total) * PERCENT) : 0;
    return (
      <div className="progress-block">
        <progress max={PERCENT} value={p?.step ? undefined : share} aria-label={what} />
        <p aria-live="polite">
          {p?.step
            ? `${PROGRESS_STEP_TEXT[p.step]}…`
            : p
              ? `${what}: ${formatBytes(p.done)}${p.total ? ` of ${formatBytes(p.total)}` : ''}${
                  p.etaSeconds ? `, about ${formatDuration(p.etaSeconds)} left` : ''
                }`
              : `${what}…`}
        </p>
      </div>
    );
  }
  if (job?.status === 'cancelled') {
    return (
      <p className="job-outcome" role="status">
        {job.message}
      </p>
    );
  }
  if (job?.status === 'failed') {
    return (
      <p className="error job-outcome" role="alert">
        {failedPrefix}: {job.message}
      </p>
    );
  }
  return null;
}

/**
 * The button that starts a log's job and, while it runs, the one that cancels it, as every
 * event-log panel offers them; `children`: what else the row says (a hint beside the buttons).
 */
export function RunAndCancel({
  label,
  canRun,
  running,
  onRun,
  onCancel,
  children,
}: {
  label: string;
  canRun: boolean;
  running: boolean;
  onRun: () => void;
  onCancel: () => void;
  children?: ReactNode;
}) {
  return (
    <div className="row">
      <button type="button" className="primary" disabled={!canRun || running} onClick={onRun}>
        {label}
      </button>
      {running && (
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      )}
      {children}
    </div>
  );
}
