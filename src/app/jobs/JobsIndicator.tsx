import { useEffect, useRef, useState } from 'react';
import type { Progress } from '../../core/jobs/progress.ts';
import { formatBytes, formatCount, formatDuration } from '../shared/format.ts';
import type { Job } from './jobRegistry.ts';
import { useJobRegistry, useJobs } from './useJobs.ts';

const PERCENT = 100;

/** "45 % · 120.0 MB of 268.4 MB · 150.2 MB/s · about 1 s left", in the job's own unit. */
function describeProgress(progress: Progress | null): string {
  if (!progress) return 'starting…';
  const count = (n: number) =>
    progress.unit === 'bytes' ? formatBytes(n) : `${formatCount(n)} ${progress.unit}`;
  const parts: string[] = [];
  if (progress.total) parts.push(`${Math.floor((progress.done / progress.total) * PERCENT)} %`);
  parts.push(
    progress.total === null ? count(progress.done) : `${count(progress.done)} of ${count(progress.total)}`,
  );
  if (progress.ratePerSecond > 0) parts.push(`${count(Math.round(progress.ratePerSecond))}/s`);
  if (progress.etaSeconds !== null) parts.push(`about ${formatDuration(progress.etaSeconds)} left`);
  return parts.join(' · ');
}

/** What a screen reader hears when a job ends while the user may be elsewhere. */
function describeEnd(job: Job): string {
  const what = `${job.label} of ${job.subject}`;
  switch (job.status) {
    case 'done':
      return `${what} finished.`;
    case 'failed':
      return `${what} failed.`;
    case 'cancelled':
      return `${what}: ${job.message}`;
    case 'running':
      return '';
  }
}

function RunningJob({ job, onCancel }: { job: Job; onCancel: () => void }) {
  const { progress } = job;
  const percent = progress?.total ? Math.floor((progress.done / progress.total) * PERCENT) : undefined;
  const name = `${job.label} of ${job.subject}`;
  return (
    <li className="job">
      <span className="job-name">
        {job.label}
        {' · '}
        {job.href ? (
          <a href={job.href} className="job-subject" title={job.subject}>
            {job.subject}
          </a>
        ) : (
          <span className="job-subject" title={job.subject}>
            {job.subject}
          </span>
        )}
      </span>
      {/* without a total the bar is indeterminate: no value */}
      <progress max={PERCENT} value={percent} aria-label={name} />
      <span className="job-progress">{describeProgress(progress)}</span>
      <button
        type="button"
        onClick={onCancel}
        aria-label={`Cancel ${job.label.toLowerCase()} of ${job.subject}`}
      >
        Cancel
      </button>
    </li>
  );
}

/**
 * The header's view of the app's jobs: every running job with its name, what it works on, a progress
 * bar and Cancel, on every workspace. It announces (politely, to screen readers) when a job ends, as
 * the user may be on another screen than the job's.
 */
export function JobsIndicator() {
  const registry = useJobRegistry();
  const jobs = useJobs();
  const running = jobs.filter((job) => job.status === 'running');
  const [announcement, setAnnouncement] = useState('');
  const wasRunning = useRef(new Set<string>());

  useEffect(() => {
    const ended = jobs.filter((job) => job.status !== 'running' && wasRunning.current.has(job.id));
    wasRunning.current = new Set(jobs.filter((job) => job.status === 'running').map((job) => job.id));
    if (ended.length > 0) setAnnouncement(ended.map(describeEnd).join(' '));
  }, [jobs]);

  return (
    <>
      {running.length > 0 && (
        <section className="jobs-indicator" aria-label="Running jobs">
          <ul>
            {running.map((job) => (
              <RunningJob key={job.id} job={job} onCancel={() => registry?.cancel(job.id, 'user')} />
            ))}
          </ul>
        </section>
      )}
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
    </>
  );
}
