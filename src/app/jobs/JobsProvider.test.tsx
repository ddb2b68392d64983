/**
 * The jobs provider with its real journal on real storage (fake-indexeddb): a job is on disk
 * before its work starts, so a start after the app was killed mid-run says which job did not finish;
 * Dismiss forgets it for good; a journal an earlier version kept in web storage is moved and said.
 * jsdom has no Web Locks, so every other session counts as gone, as it does in a browser without
 * them: a second provider over the same storage is the next start after a kill.
 */
import 'fake-indexeddb/auto';
import { act, configure, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { IDBFactory } from 'fake-indexeddb';
import { useEffect } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJobJournalStore, type JournalEntry } from '../../storage/jobJournalStore.ts';
import { JobsIndicator } from './JobsIndicator.tsx';
import { JobsProvider } from './JobsProvider.tsx';
import { JOB_JOURNAL_KEY } from './jobJournal.ts';
import { useJobRegistry } from './useJobs.ts';

const CRASHED: JournalEntry = {
  session: 'a-crashed-session',
  job: 'job-1',
  label: 'Validation',
  subject: 'referrals.csv',
  href: '#/migration',
  startedAt: '2026-11-21T08:00:00.000Z',
  updatedAt: '2026-11-21T08:05:00.000Z',
  percent: 60,
};

const stores: { close(): void }[] = [];

/**
 * A hang guard for findBy and waitFor, not a speed limit: what they wait for comes after IndexedDB
 * work, which a loaded 2-core machine delays past the library's 1 s default.
 */
configure({ asyncUtilTimeout: 20_000 });

beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
  localStorage.clear();
});

afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

/** The journal's database as another tab (or an earlier session) sees it. */
function journal() {
  const store = createJobJournalStore();
  stores.push(store);
  return store;
}

/** Starts a validation whose work never ends, and says when its work began. */
function StartsAValidation({ onWork }: { onWork: () => void }) {
  const registry = useJobRegistry();
  useEffect(() => {
    registry?.start({
      kind: 'validation',
      label: 'Validation',
      subject: 'patients-24mb.csv',
      href: '#/migration',
      run: () => {
        onWork();
        return new Promise(() => {});
      },
    });
  }, [registry, onWork]);
  return null;
}

/** The app as main.tsx mounts it: the provider, the header's jobs, the workspace. */
function renderApp(children: React.ReactNode = null) {
  return render(
    <JobsProvider>
      <JobsIndicator />
      <main id="main" tabIndex={-1} />
      {children}
    </JobsProvider>,
  );
}

const unfinished = () => screen.findByRole('region', { name: 'Jobs that did not finish' });

describe('JobsProvider', () => {
  it('records a job before its work starts, so the next start after a kill says it did not finish', async () => {
    let workBegan = false;
    let onDisk: JournalEntry[] = [];
    const onWork = async () => {
      workBegan = true;
      onDisk = await journal().all();
    };
    // the first session is never closed: as when the browser is killed mid-run
    renderApp(<StartsAValidation onWork={onWork} />);
    await waitFor(() => expect(workBegan).toBe(true));
    await waitFor(() => expect(onDisk.map((e) => e.subject)).toEqual(['patients-24mb.csv']));

    renderApp();
    const note = within(await unfinished()).getByRole('listitem');
    expect(note.textContent).toMatch(
      /^Validation of patients-24mb\.csv did not finish: it was still running when Preflight stopped \(last seen .+\)\. Nothing of it was kept: run it again\./,
    );
    expect(within(note).getByRole('link', { name: 'Go to Migration' }).getAttribute('href')).toBe(
      '#/migration',
    );
  });

  it('Dismiss forgets the job for good: the next start no longer says it', async () => {
    await journal().put([CRASHED]);
    const first = renderApp();
    await userEvent.click(
      within(await unfinished()).getByRole('button', { name: /^Dismiss: Validation of referrals\.csv/ }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('region', { name: 'Jobs that did not finish' })).toBeNull(),
    );
    expect(await journal().all()).toEqual([]);
    first.unmount();

    // the next start reads the journal: its one note is another run, left as a crash leaves it
    await journal().put([{ ...CRASHED, session: 'another-crashed-session', subject: 'lab-results.csv' }]);
    renderApp();
    const notes = within(await unfinished()).getAllByRole('listitem');
    expect(notes.map((n) => n.textContent)).toEqual([
      expect.stringMatching(/^Validation of lab-results\.csv/),
    ]);
  });

  it('moves a journal an earlier version kept in web storage, and says its jobs', async () => {
    localStorage.setItem(
      JOB_JOURNAL_KEY,
      JSON.stringify([{ ...CRASHED, subject: 'lab-results.csv', percent: 30 }]),
    );
    renderApp();
    const note = within(await unfinished()).getByRole('listitem');
    expect(note.textContent).toMatch(
      /^Validation of lab-results\.csv did not finish: it was still running at 30 %/,
    );
    // moved, not copied
    expect(localStorage.getItem(JOB_JOURNAL_KEY)).toBeNull();
    expect((await journal().all()).map((e) => e.subject)).toEqual(['lab-results.csv']);
  });

  it('a job the app itself closes was not interrupted: nothing is said at the next start', async () => {
    let workBegan = false;
    const app = renderApp(<StartsAValidation onWork={() => (workBegan = true)} />);
    await waitFor(() => expect(workBegan).toBe(true));
    await act(async () => app.unmount());
    await waitFor(async () => expect(await journal().all()).toEqual([]));
    // the next start's one note is a run left as a crash leaves it, not the one closed
    await journal().put([CRASHED]);
    renderApp();
    const notes = within(await unfinished()).getAllByRole('listitem');
    expect(notes.map((n) => n.textContent)).toEqual([expect.stringMatching(/^Validation of referrals\.csv/)]);
  });
});
