/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import {
  contentSecurityPolicyFor,
  devServerHeaders,
  metaContentSecurityPolicy,
  securityHeaders,
} from './src/app/securityHeaders.ts';

/** Loopback only: the app holds patient data and is never served to the network by default. */
export const PREVIEW_HOST = '127.0.0.1';
export const PREVIEW_PORT = 4173;

/** Puts the CSP into the built index.html too, for hosts that serve dist/ without our headers. */
function cspMetaTag(): Plugin {
  return {
    name: 'preflight-csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: metaContentSecurityPolicy },
        injectTo: 'head-prepend',
      },
    ],
  };
}

/**
 * Per-path CSP in preview/production: the validator worker's script gets its own policy
 * (`contentSecurityPolicyFor`). Vite's static server sets `preview.headers` on every file it
 * serves, so this wraps the response's `setHeader` before that runs and swaps the CSP value.
 */
function perPathCsp(): Plugin {
  return {
    name: 'preflight-per-path-csp',
    configurePreviewServer(server) {
      server.middlewares.use((req, res, next) => {
        const policy = contentSecurityPolicyFor(req.url ?? '');
        if (policy !== securityHeaders['Content-Security-Policy']) {
          const setHeader = res.setHeader.bind(res);
          res.setHeader = (name, value) =>
            setHeader(name, name.toLowerCase() === 'content-security-policy' ? policy : value);
        }
        next();
      });
    },
  };
}

export default defineConfig({
  plugins: [react(), cspMetaTag(), perPathCsp()],
  worker: { format: 'es' },
  // source maps stay out of the served bundle's comments: they would point users' browsers at them
  // The bundle is served from loopback, not the internet; its largest part is the precompiled
  // format validators (~200 kB), which start-up needs anyway, so splitting would not help.
  build: { target: 'es2022', sourcemap: 'hidden', chunkSizeWarningLimit: 800 },
  server: { host: PREVIEW_HOST, headers: devServerHeaders },
  // The production build is what users run (`npm start`), so the security headers live here.
  preview: { host: PREVIEW_HOST, port: PREVIEW_PORT, strictPort: false, headers: securityHeaders },
  test: {
    include: ['src/**/*.test.ts', 'workers/**/*.test.ts', 'tests/unit/**/*.test.ts', 'samples/**/*.test.ts'],
    environment: 'node',
    // Tests wait for events and fake clocks, never for elapsed time; the timeout only catches a
    // hang. The property and hashing tests take seconds on a loaded 2-core machine, past vitest's
    // default 5 s, so the guard is generous.
    testTimeout: 30_000,
    // CI asks for a JSON report so .ci/run can print one closing count line
    ...(process.env.PREFLIGHT_TEST_RESULTS
      ? {
          reporters: ['default', 'json'],
          outputFile: { json: `${process.env.PREFLIGHT_TEST_RESULTS}/vitest-unit.json` },
        }
      : {}),
  },
});
