import { createContext } from 'react';
import type { JobRegistry } from './jobRegistry.ts';

/** The app's one job registry, or null until `JobsProvider` has created it (its first render). */
export const JobsContext = createContext<JobRegistry | null>(null);
