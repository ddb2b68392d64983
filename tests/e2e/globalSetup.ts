/**
 * Serves the production build (dist/, built by `npm run test:e2e` first) exactly as `npm start`
 * does — Vite preview with the security headers from vite.config.ts — on a free loopback port.
 * Removes the shared FHIR build (fhirBuild.ts) before and after the run, so the first spec that
 * needs it makes it from this run's dist/. Makes the migrated embedded database the team server
 * specs start from (tests/setup/embeddedImage.ts) when it is missing. Chromium is started in
 * each worker (browser.ts).
 */
import { existsSync } from 'node:fs';
import { preview } from 'vite';
import type { TestProject } from 'vitest/node';
import { ensureEmbeddedImage } from '../setup/embeddedImage.ts';
import { removeFhirBuild } from './fhirBuild.ts';

export default async function setup(project: TestProject) {
  if (!existsSync('dist/index.html')) {
    throw new Error('dist/ is missing: run "npm run test:e2e" (it builds first) or "npm run build".');
  }
  removeFhirBuild();
  // the team server's migrated database, made once (kept between runs while the schema holds)
  await ensureEmbeddedImage();
  const server = await preview({
    preview: { port: 0, host: '127.0.0.1', strictPort: false, open: false },
    logLevel: 'warn',
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  project.provide('baseUrl', url);
  return async () => {
    await server.close();
    removeFhirBuild();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
