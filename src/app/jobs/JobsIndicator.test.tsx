/**
 * The header's jobs over the app's real job registry: a running job with its progress and Cancel;
 * a job that ends while the user is on another screen leaves a note that leads back, and the note
 * goes at the job's screen or on Dismiss; a job that ends on its own screen, or one the user
 * cancelled, leaves none; a job an earlier session never finished is said until dismissed.
 * The job's work is a promise the test settles: nothing waits on time.
 */
import { act, cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobCancelledError } from '../../core/jobs/errors.ts';
import { JobsIndicator } from './JobsIndicator.tsx';
import type { JournalEntry } from './jobJournal.ts';
import { createJobRegistry, type JobRegistry } from './jobRegistry.ts';
import { InterruptedJobsContext, JobsContext } from './jobsContext.ts';

const NAME = 'extract-48mb.bin';
const MIB = 1024 * 1024;

let registry: JobRegistry;

beforeEach(async () => {
  registry = createJobRegistry();
  await settleHash('#/migration');
});

afterEach(async () => {
  // unmounted first: the address going back is no change for a header that is gone
  cleanup();
  registry.destroy();
  await settleHash('');
});

/** Sets the address before anything is rendered, once jsdom has announced it. */
async function settleHash(hash: string): Promise<void> {
  if (window.location.hash === hash || (hash === '' && window.location.hash === '')) return;
  const changed = new Promise((resolve) => window.addEventListener('hashchange', resolve, { once: true }));
  window.location.hash = hash;
  await changed;
}

/** A fingerprint whose work ends when the test says; its screen is Migration. */
function startFingerprint() {
  let finish: (digest: string) => void = () => {};
  let fail: (error: Error) => void = () => {};
  let report: (done: number) => void = () => {};
  let id = '';
  act(() => {
    id = registry.start({
      kind: 'fingerprint',
      label: 'Fingerprint',
      subject: NAME,
      href: '#/migration',
      run: ({ reportProgress, signal }) =>
        new Promise<string>((resolve, reject) => {
          finish = resolve;
          fail = reject;
          report = (done) =>
            reportProgress({ done, total: 48 * MIB, unit: 'bytes', ratePerSecond: 0, etaSeconds: null });
          signal.addEventListener('abort', () => reject(new JobCancelledError()));
        }),
    });
  });
  return {
    id,
    finish: (digest = 'ab12') => act(async () => finish(digest)),
    fail: (error: Error) => act(async () => fail(error)),
    report: (done: number) => act(async () => report(done)),
  };
}

/** The header as the app mounts it: the jobs, and the workspace that Dismiss hands focus to. */
function renderHeader(
  interrupted: { entries: JournalEntry[]; dismissed: JournalEntry[][] } | undefined = undefined,
) {
  return render(
    <JobsContext value={registry}>
      <InterruptedJobsContext
        value={{
          entries: interrupted?.entries ?? [],
          dismiss: (entries) => interrupted?.dismissed.push([...entries]),
        }}
      >
        <header>
          <JobsIndicator />
        </header>
        <main id="main" tabIndex={-1}>
          <h2>Workspace</h2>
        </main>
      </InterruptedJobsContext>
    </JobsContext>,
  );
}

/** Goes to `hash` as a link or Back does, and waits for the app to follow it. */
async function goTo(hash: string): Promise<void> {
  await act(async () => {
    const changed = new Promise((resolve) => window.addEventListener('hashchange', resolve, { once: true }));
    window.location.hash = hash;
    await changed;
  });
}

const finishedNotes = () => screen.queryByRole('region', { name: 'Finished jobs' });

describe('JobsIndicator', () => {
  it('shows a running job with its progress and Cancel, and a cancel by the user leaves no note', async () => {
    renderHeader();
    const job = startFingerprint();
    const running = await screen.findByRole('region', { name: 'Running jobs' });
    const bar = within(running).getByRole('progressbar', { name: `Fingerprint of ${NAME}` });
    await job.report(12 * MIB);
    expect(bar.getAttribute('value')).toBe('25');
    expect(within(running).getByRole('link', { name: NAME }).getAttribute('href')).toBe('#/migration');
    await goTo('#/signoff');
    await userEvent.click(within(running).getByRole('button', { name: `Cancel fingerprint of ${NAME}` }));
    expect(registry.getJobs().find((j) => j.id === job.id)?.status).toBe('cancelled');
    expect(screen.queryByRole('region', { name: 'Running jobs' })).toBeNull();
    expect(finishedNotes()).toBeNull();
  });

  it('a job that ends on another screen leaves a note that leads back; at its screen the note goes', async () => {
    renderHeader();
    const job = startFingerprint();
    await screen.findByRole('progressbar', { name: `Fingerprint of ${NAME}` });
    await goTo('#/signoff');
    await job.finish();
    const note = within(await screen.findByRole('region', { name: 'Finished jobs' })).getByRole('listitem');
    expect(note.textContent).toContain(`Fingerprint of ${NAME} finished.`);
    const back = within(note).getByRole('link', { name: 'Go to Migration' });
    expect(back.getAttribute('href')).toBe('#/migration');
    // another screen that is not the job's keeps the note
    await goTo('#/readiness');
    expect(finishedNotes()).not.toBeNull();
    await goTo('#/migration');
    expect(finishedNotes()).toBeNull();
  });

  it('Dismiss removes the note and leaves focus in the workspace', async () => {
    renderHeader();
    const job = startFingerprint();
    await screen.findByRole('progressbar', { name: `Fingerprint of ${NAME}` });
    await goTo('#/readiness');
    await job.finish();
    const dismiss = await screen.findByRole('button', { name: `Dismiss: Fingerprint of ${NAME} finished.` });
    dismiss.focus();
    await userEvent.keyboard('{Enter}');
    expect(finishedNotes()).toBeNull();
    expect(document.activeElement?.id).toBe('main');
  });

  it('a job that ends on its own screen leaves no note, and is announced', async () => {
    renderHeader();
    const job = startFingerprint();
    await screen.findByRole('progressbar', { name: `Fingerprint of ${NAME}` });
    await job.finish();
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(screen.getByRole('status').textContent).toBe(`Fingerprint of ${NAME} finished.`);
    expect(finishedNotes()).toBeNull();
  });

  it('a failure on another screen leaves a note saying so; a newer run of the same work replaces it', async () => {
    renderHeader();
    const first = startFingerprint();
    await screen.findByRole('progressbar', { name: `Fingerprint of ${NAME}` });
    await goTo('#/workflows');
    await first.fail(new Error('read failed'));
    const notes = await screen.findByRole('region', { name: 'Finished jobs' });
    expect(within(notes).getByRole('listitem').textContent).toContain(`Fingerprint of ${NAME} failed.`);
    const second = startFingerprint();
    await second.finish();
    expect(
      within(notes)
        .getAllByRole('listitem')
        .map((li) => li.firstChild?.textContent),
    ).toEqual([`Fingerprint of ${NAME} finished.`]);
  });

  it('says a job an earlier session never finished, with its screen, until dismissed', async () => {
    const entry: JournalEntry = {
      session: 'a-crashed-session',
      job: 'job-1',
      label: 'Validation',
      subject: 'referrals.csv',
      href: '#/migration',
      startedAt: '2026-11-21T08:00:00.000Z',
      updatedAt: '2026-11-21T08:05:00.000Z',
      percent: 60,
    };
    const interrupted = { entries: [entry], dismissed: [] as JournalEntry[][] };
    renderHeader(interrupted);
    const note = within(screen.getByRole('region', { name: 'Jobs that did not finish' })).getByRole(
      'listitem',
    );
    expect(note.textContent).toMatch(
      /^Validation of referrals\.csv did not finish: it was still running at 60 % when Preflight stopped \(last seen .+\)\. Nothing of it was kept: run it again\./,
    );
    expect(within(note).getByRole('link', { name: 'Go to Migration' }).getAttribute('href')).toBe(
      '#/migration',
    );
    await userEvent.click(
      within(note).getByRole('button', { name: /^Dismiss: Validation of referrals\.csv/ }),
    );
    expect(interrupted.dismissed).toEqual([[entry]]);
    expect(document.activeElement?.id).toBe('main');
  });
});
