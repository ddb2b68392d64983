/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { securityHeaders } from './src/app/securityHeaders.ts';

/** Loopback only: the app holds patient data and is never served to the network by default. */
export const PREVIEW_HOST = '127.0.0.1';
export const PREVIEW_PORT = 4173;

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true },
  // The production build is what users run (`npm start`), so the security headers live here.
  preview: { host: PREVIEW_HOST, port: PREVIEW_PORT, strictPort: false, headers: securityHeaders },
  test: {
    include: ['src/**/*.test.ts', 'workers/**/*.test.ts', 'tests/unit/**/*.test.ts', 'samples/**/*.test.ts'],
    environment: 'node',
    // CI asks for a JSON report so .ci/run can print one closing count line
    ...(process.env.PREFLIGHT_TEST_RESULTS
      ? {
          reporters: ['default', 'json'],
          outputFile: { json: `${process.env.PREFLIGHT_TEST_RESULTS}/vitest-unit.json` },
        }
      : {}),
  },
});
