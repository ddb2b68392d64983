import { useContext, useEffect, useRef, useState } from 'react';
import { parseAddress, parseRoute, type Route, serialiseRoute, WORKSPACES } from '../route.ts';
import { useHref, useRoute } from '../useWorkspaceRoute.ts';
import { describeProgress, PERCENT, progressPercent } from './describeProgress.ts';
import type { JournalEntry } from './jobJournal.ts';
import type { EndedJob, Job } from './jobRegistry.ts';
import { InterruptedJobsContext } from './jobsContext.ts';
import { useJobRegistry, useJobs } from './useJobs.ts';

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

/**
 * The href of a job's screen: in the project open, unless the job's place names its project (a
 * job's screen is in the project it was started in, which is the project open: switching projects
 * cancels its jobs).
 */
function useJobHref(): (href: string) => string {
  const hrefOf = useHref();
  return (href) => {
    const address = parseAddress(href);
    return address.project === undefined ? hrefOf(address.route) : href;
  };
}

function RunningJob({ job, onCancel }: { job: Job; onCancel: () => void }) {
  const jobHref = useJobHref();
  const { progress } = job;
  const percent = progressPercent(progress);
  const name = `${job.label} of ${job.subject}`;
  return (
    <li className="job">
      <span className="job-name">
        {job.label}
        {' · '}
        {job.href ? (
          <a href={jobHref(job.href)} className="job-subject" title={job.subject}>
            {job.subject}
          </a>
        ) : (
          <span className="job-subject" title={job.subject}>
            {job.subject}
          </span>
        )}
      </span>
      {/* without a total, or past its count (a step), the bar is indeterminate: no value */}
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
 * Whether an ended job deserves a note in the header: a result or a failure the user has not seen
 * yet. A cancel the user caused (Cancel, switching or deleting the project, starting it again) does
 * not; one they did not (the background worker shut down) does.
 */
function worthNotice(job: EndedJob): boolean {
  return job.status !== 'cancelled' || job.reason === 'stopped';
}

/** The workspace of a job's screen (`href`), for "Go to Migration"; undefined when it names none. */
function workspaceOf(href: string | undefined) {
  if (!href) return undefined;
  const route = parseRoute(href);
  return WORKSPACES.find((w) => w.id === route.workspace);
}

/** Whether `route` is the place a job was started from (where its tool shows the outcome). */
function onScreenOf(job: Job, route: Route): boolean {
  return job.href !== undefined && serialiseRoute(parseRoute(job.href)) === serialiseRoute(route);
}

/**
 * A note in the header about a job: what happened, a link to its screen, and Dismiss. The note's
 * button goes away with it: keyboard users stay in the page, at the workspace.
 */
function JobNote({
  text,
  href,
  onDismiss,
}: {
  text: string;
  href: string | undefined;
  onDismiss: () => void;
}) {
  const workspace = workspaceOf(href);
  return (
    <li className="job job-ended">
      <span className="job-end">{text}</span>
      {workspace && href && <a href={href}>Go to {workspace.label}</a>}
      <button
        type="button"
        onClick={() => {
          onDismiss();
          document.getElementById('main')?.focus({ preventScroll: true });
        }}
        aria-label={`Dismiss: ${text}`}
      >
        Dismiss
      </button>
    </li>
  );
}

const WHEN = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** What the user reads of a job an earlier session never finished. */
function describeInterrupted(entry: JournalEntry): string {
  const at = entry.percent === undefined ? '' : ` at ${entry.percent} %`;
  return `${entry.label} of ${entry.subject} did not finish: it was still running${at} when Preflight stopped (last seen ${WHEN.format(new Date(entry.updatedAt))}). Nothing of it was kept: run it again.`;
}

/**
 * The header's view of the app's jobs: every running job with its name, what it works on, a progress
 * bar and Cancel, on every workspace. It announces (politely, to screen readers) when a job ends, as
 * the user may be on another screen than the job's; and a job that ends while the user is elsewhere
 * stays in the header as a note ("… finished", a link to its screen, Dismiss) instead of its bar
 * simply vanishing, until the user dismisses it or opens the job's workspace, where the tool shows
 * the outcome itself. A job an earlier session never let finish (the tab closed, the browser killed)
 * is listed too, until dismissed.
 */
export function JobsIndicator() {
  const registry = useJobRegistry();
  const jobs = useJobs();
  const route = useRoute();
  const running = jobs.filter((job) => job.status === 'running');
  const [announcement, setAnnouncement] = useState('');
  const [notices, setNotices] = useState<readonly EndedJob[]>([]);
  const wasRunning = useRef(new Set<string>());
  // read when a job ends, so the ending (not every navigation) is what runs the effect below
  const routeNow = useRef(route);
  routeNow.current = route;

  useEffect(() => {
    const ended = jobs.filter(
      (job): job is EndedJob => job.status !== 'running' && wasRunning.current.has(job.id),
    );
    wasRunning.current = new Set(jobs.filter((job) => job.status === 'running').map((job) => job.id));
    if (ended.length === 0) return;
    setAnnouncement(ended.map(describeEnd).join(' '));
    const elsewhere = ended.filter((job) => worthNotice(job) && !onScreenOf(job, routeNow.current));
    if (elsewhere.length > 0) {
      // one note per slot: a newer run of the same work replaces the older note
      setNotices((old) => [...old.filter((n) => !elsewhere.some((e) => e.key === n.key)), ...elsewhere]);
    }
  }, [jobs]);

  // at the job's own place the tool shows its outcome: the note has done its work
  useEffect(() => {
    setNotices((old) => {
      const kept = old.filter((job) => !onScreenOf(job, route));
      return kept.length === old.length ? old : kept;
    });
  }, [route]);

  const interrupted = useContext(InterruptedJobsContext);
  const jobHref = useJobHref();
  return (
    <>
      {interrupted.entries.length > 0 && (
        <section className="jobs-indicator" aria-label="Jobs that did not finish">
          <ul>
            {/* an earlier session's job may have run in another project: its place is kept as recorded */}
            {interrupted.entries.map((entry) => (
              <JobNote
                key={`${entry.session}/${entry.job}`}
                text={describeInterrupted(entry)}
                href={entry.href}
                onDismiss={() => interrupted.dismiss([entry])}
              />
            ))}
          </ul>
        </section>
      )}
      {running.length > 0 && (
        <section className="jobs-indicator" aria-label="Running jobs">
          <ul>
            {running.map((job) => (
              <RunningJob key={job.id} job={job} onCancel={() => registry?.cancel(job.id, 'user')} />
            ))}
          </ul>
        </section>
      )}
      {notices.length > 0 && (
        <section className="jobs-indicator" aria-label="Finished jobs">
          <ul>
            {notices.map((job) => (
              <JobNote
                key={job.id}
                text={describeEnd(job)}
                href={job.href === undefined ? undefined : jobHref(job.href)}
                onDismiss={() => setNotices((old) => old.filter((n) => n.id !== job.id))}
              />
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
