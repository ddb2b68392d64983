/**
 * Property: whatever text is put in PREFLIGHT_FHIR_ORIGINS, what reaches the CSP's connect-src is
 * only well-formed origins — https, or http on loopback — so no entry can widen the policy beyond
 * the servers named or inject another directive (fast-check prints the seed and path of a
 * failure; pin it as a case in allowlist.test.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkServerAllowed, parseAllowedOrigins } from './allowlist.ts';

const piece = fc.constantFrom(
  'https://',
  'http://',
  'ftp://',
  '127.0.0.1',
  'localhost',
  'fhir.example.org',
  ':8443',
  '/r4',
  ';',
  "'unsafe-eval'",
  ' ',
  ',',
  '*',
  '@',
  '?x=1',
  '#f',
  '\n',
  'script-src',
  '[::1]',
  '%20',
);
const entryText = fc.oneof(
  fc.string(),
  fc.array(piece, { maxLength: 12 }).map((parts) => parts.join('')),
);

describe('parseAllowedOrigins (property)', () => {
  it('yields only https or loopback-http origins, each its own URL origin', () => {
    fc.assert(
      fc.property(
        fc.array(entryText, { maxLength: 6 }).map((entries) => entries.join(' ')),
        (text) => {
          const { origins } = parseAllowedOrigins(text);
          for (const origin of origins) {
            const url = new URL(origin);
            expect(url.origin).toBe(origin);
            expect(origin).not.toMatch(/[\s;,'*]/);
            if (url.protocol !== 'https:') {
              expect(url.protocol).toBe('http:');
              expect(['127.0.0.1', 'localhost', '[::1]']).toContain(url.hostname);
            }
          }
        },
      ),
    );
  });

  it('an allowed origin is allowed with any path, and nothing else is', () => {
    fc.assert(
      fc.property(entryText, fc.webUrl(), (text, address) => {
        const { origins } = parseAllowedOrigins(text);
        const refused = checkServerAllowed(address, origins);
        expect(refused === undefined).toBe(origins.includes(new URL(address).origin));
      }),
    );
  });
});
