import { useId } from 'react';
import type { Progress } from '../../core/jobs/progress.ts';
import { formatBytes, formatDuration } from '../common/format.ts';
import { fingerprintResult, useFileHash } from './useFileHash.ts';

const PERCENT = 100;
const MS_PER_SECOND = 1000;

function percentOf(progress: Progress | null): number {
  return progress?.total ? Math.floor((progress.done / progress.total) * PERCENT) : 0;
}

/** "45 % — 120.0 MB of 268.4 MB", the part every state with progress shows. */
function amount(progress: Progress | null): string {
  const base = `${percentOf(progress)} %`;
  return progress ? `${base} — ${formatBytes(progress.done)} of ${formatBytes(progress.total ?? 0)}` : base;
}

/**
 * Fingerprints a file of any size with SHA-256 in a Web Worker: the digest that reports and
 * sign-off records cite to prove which extract was checked. The file is read in place, in
 * chunks; nothing is uploaded or stored. The run is a job of the app (src/app/jobs): it goes on
 * while the user is in another workspace, and its last result is here on return.
 */
export function FileFingerprint() {
  const { ready, job, start, cancel, runAgain } = useFileHash();
  const inputId = useId();
  const running = job?.status === 'running';
  const progress = job?.progress ?? null;
  const digest = fingerprintResult(job);

  return (
    <section aria-labelledby="fingerprint-title" className="card">
      <h3 id="fingerprint-title">Fingerprint a file (SHA-256)</h3>
      <p>
        Computes the file's SHA-256 in a background worker, however large the file. Reports and sign-offs cite
        this digest to prove exactly which extract was checked. The file never leaves this computer. It goes
        on while you work elsewhere in Preflight; the header shows its progress.
      </p>
      <div className="row">
        <label htmlFor={inputId}>File to fingerprint</label>
        <input
          id={inputId}
          type="file"
          disabled={!ready}
          onChange={(event) => {
            const input = event.currentTarget;
            const file = input.files?.[0];
            // cleared, so choosing the same file again is a change and starts a new run
            input.value = '';
            if (file) start(file);
          }}
        />
        {running && (
          <button type="button" onClick={cancel}>
            Cancel
          </button>
        )}
        {job && !running && (
          <button type="button" onClick={runAgain}>
            Run again
          </button>
        )}
      </div>
      {job?.status === 'running' && (
        <div className="progress-block">
          <progress max={PERCENT} value={percentOf(progress)} aria-label={`Fingerprinting ${job.subject}`} />
          <p aria-live="polite">
            {job.subject}: {amount(progress)}
            {progress
              ? ` at ${formatBytes(progress.ratePerSecond)}/s${progress.etaSeconds === null ? '' : `, about ${formatDuration(progress.etaSeconds)} left`}`
              : ''}
          </p>
        </div>
      )}
      {job?.status === 'cancelled' && (
        <p className="job-outcome" role="status">
          {job.subject}: {job.message} It stopped at {amount(progress)}.
        </p>
      )}
      {job?.status === 'done' && digest && (
        <div className="result job-outcome" role="status">
          <p>
            {job.subject}: {formatBytes(digest.bytes)} ({digest.bytes.toLocaleString('en-US')} bytes) in{' '}
            {formatDuration((job.endedAt - job.startedAt) / MS_PER_SECOND)}
          </p>
          <p>
            SHA-256: <code data-testid="sha256">{digest.sha256}</code>
          </p>
        </div>
      )}
      {job?.status === 'failed' && (
        <p className="error job-outcome" role="alert">
          {job.subject}: {job.message}
        </p>
      )}
    </section>
  );
}
