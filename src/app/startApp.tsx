/**
 * The app itself, loaded by main.tsx only once the page is known to be secure: everything under
 * App may use `crypto`, which an insecure page does not have. Its one cache of what the screens
 * read from the team server (team/teamQuery.ts) is provided here, for every screen.
 */
import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import type { Root } from 'react-dom/client';
import { App } from './App.tsx';
import { JobsProvider } from './jobs/JobsProvider.tsx';
import { pageTeamReads } from './team/teamQuery.ts';

/** Renders the app into `root`. */
export function startApp(root: Root): void {
  root.render(
    <StrictMode>
      <QueryClientProvider client={pageTeamReads}>
        <JobsProvider>
          <App />
        </JobsProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
}
