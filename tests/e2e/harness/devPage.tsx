/**
 * Test-only page script for the dev server (tests/e2e/devServerCsp.spec.ts, never built or
 * shipped): the app's stylesheet and its file fingerprint tool under the app's job registry, in
 * React with hot reload. It carries everything the dev server adds to a page that the production
 * policy alone would refuse (hot reload's inline module script, Vite's style elements, a worker
 * served as modules) through a few dozen modules, where the whole app is about 700.
 */
import { createRoot } from 'react-dom/client';
import { JobsProvider } from '../../../src/app/jobs/JobsProvider.tsx';
import { FileFingerprint } from '../../../src/app/migration/FileFingerprint.tsx';
import '../../../src/app/styles.css';

const element = document.getElementById('root');
if (!element) throw new Error('devPage.html has no #root element');
createRoot(element).render(
  <JobsProvider>
    <main>
      <FileFingerprint />
    </main>
  </JobsProvider>,
);
