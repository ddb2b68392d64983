/**
 * Serves the production build (dist/, built by `npm run test:e2e` first) exactly as `npm start`
 * does — Vite preview with the security headers from vite.config.ts — on a free loopback port.
 * Starts the one Chromium the specs connect to. Removes the shared FHIR build (fhirBuild.ts)
 * before and after the run, so the first spec that needs it makes it from this run's dist/.
 */
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { preview } from 'vite';
import type { TestProject } from 'vitest/node';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.ts';
import { removeFhirBuild } from './fhirBuild.ts';

export default async function setup(project: TestProject) {
  if (!existsSync('dist/index.html')) {
    throw new Error('dist/ is missing: run "npm run test:e2e" (it builds first) or "npm run build".');
  }
  removeFhirBuild();
  const server = await preview({
    preview: { port: 0, host: '127.0.0.1', strictPort: false, open: false },
    logLevel: 'warn',
  });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report a URL');
  project.provide('baseUrl', url);
  // One browser for the run: each spec connects to it (browser.ts `launchBrowser`) with contexts
  // of its own, which share no storage, cookies or permissions with another spec's.
  const browser = await chromium.launchServer({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    headless: true,
  });
  project.provide('browserEndpoint', browser.wsEndpoint());
  return async () => {
    await browser.close();
    await server.close();
    removeFhirBuild();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    /** the run's shared Chromium (playwright's browser server) */
    browserEndpoint: string;
  }
}
