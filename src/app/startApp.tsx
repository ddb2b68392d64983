/**
 * The app itself, loaded by main.tsx only once the page is known to be secure: everything under
 * App may use `crypto`, which an insecure page does not have.
 */
import { StrictMode } from 'react';
import type { Root } from 'react-dom/client';
import { App } from './App.tsx';
import { JobsProvider } from './jobs/JobsProvider.tsx';

/** Renders the app into `root`. */
export function startApp(root: Root): void {
  root.render(
    <StrictMode>
      <JobsProvider>
        <App />
      </JobsProvider>
    </StrictMode>,
  );
}
