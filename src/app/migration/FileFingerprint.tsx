import { useId } from 'react';
import { formatBytes, formatDuration } from '../shared/format.ts';
import { useFileHash } from './useFileHash.ts';

const PERCENT = 100;

/**
 * Fingerprints a file of any size with SHA-256 in a Web Worker: the digest that reports and
 * sign-off records cite to prove which extract was checked. The file is read in place, in
 * chunks; nothing is uploaded or stored.
 */
export function FileFingerprint() {
  const { state, start, cancel } = useFileHash();
  const inputId = useId();
  const running = state.phase === 'running';
  const progress = state.phase === 'running' || state.phase === 'cancelled' ? state.progress : null;
  const percent = progress?.total ? Math.floor((progress.done / progress.total) * PERCENT) : 0;

  return (
    <section aria-labelledby="fingerprint-title" className="card">
      <h3 id="fingerprint-title">Fingerprint a file (SHA-256)</h3>
      <p>
        Computes the file's SHA-256 in a background worker, however large the file. Reports and sign-offs cite
        this digest to prove exactly which extract was checked. The file never leaves this computer.
      </p>
      <div className="row">
        <label htmlFor={inputId}>File to fingerprint</label>
        <input
          id={inputId}
          type="file"
          onChange={(event) => {
            const file = event.currentTarget.files?.[0];
            if (file) void start(file);
          }}
        />
        {running && (
          <button type="button" onClick={cancel}>
            Cancel
          </button>
        )}
      </div>
      {(running || state.phase === 'cancelled') && (
        <div className="progress-block">
          <progress max={PERCENT} value={percent} aria-label={`Fingerprinting ${state.fileName}`} />
          <p aria-live="polite">
            {state.phase === 'cancelled' ? 'Cancelled at ' : ''}
            {percent} %
            {progress ? ` — ${formatBytes(progress.done)} of ${formatBytes(progress.total ?? 0)}` : ''}
            {running && progress
              ? ` at ${formatBytes(progress.ratePerSecond)}/s${progress.etaSeconds === null ? '' : `, about ${formatDuration(progress.etaSeconds)} left`}`
              : ''}
          </p>
        </div>
      )}
      {state.phase === 'done' && (
        <div className="result" role="status">
          <p>
            {state.fileName}: {formatBytes(state.bytes)} ({state.bytes.toLocaleString('en-US')} bytes) in{' '}
            {formatDuration(state.seconds)}
          </p>
          <p>
            SHA-256: <code data-testid="sha256">{state.sha256}</code>
          </p>
        </div>
      )}
      {state.phase === 'failed' && (
        <p className="error" role="alert">
          {state.fileName}: {state.message}
        </p>
      )}
    </section>
  );
}
