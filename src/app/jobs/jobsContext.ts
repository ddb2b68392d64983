import { createContext } from 'react';
import type { JournalEntry } from './jobJournal.ts';
import type { JobRegistry } from './jobRegistry.ts';

/** The app's one job registry, or null until `JobsProvider` has created it (its first render). */
export const JobsContext = createContext<JobRegistry | null>(null);

/** Jobs an earlier session never finished (jobJournal.ts), and how to dismiss them. */
interface InterruptedJobs {
  entries: readonly JournalEntry[];
  dismiss(entries: readonly JournalEntry[]): void;
}

export const InterruptedJobsContext = createContext<InterruptedJobs>({ entries: [], dismiss: () => {} });
