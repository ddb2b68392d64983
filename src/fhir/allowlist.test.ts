import { describe, expect, it } from 'vitest';
import { checkServerAllowed, FHIR_ORIGINS_ENV, parseAllowedOrigins } from './allowlist.ts';

describe('parseAllowedOrigins', () => {
  it.each([
    { description: 'nothing set', input: undefined, origins: [], problems: 0 },
    {
      description: 'one https origin',
      input: 'https://fhir.example.org',
      origins: ['https://fhir.example.org'],
      problems: 0,
    },
    {
      description: 'several, spaces and commas, a trailing slash and a duplicate',
      input: ' https://a.example.org/, https://b.example.org:8443  https://a.example.org ',
      origins: ['https://a.example.org', 'https://b.example.org:8443'],
      problems: 0,
    },
    {
      description: 'http on loopback',
      input: 'http://127.0.0.1:8103 http://localhost:9000',
      origins: ['http://127.0.0.1:8103', 'http://localhost:9000'],
      problems: 0,
    },
    { description: 'http to another host', input: 'http://fhir.example.org', origins: [], problems: 1 },
    { description: 'a path', input: 'https://fhir.example.org/r4', origins: [], problems: 1 },
    { description: 'a wildcard', input: 'https://*.example.org', origins: [], problems: 1 },
    { description: 'a star', input: '*', origins: [], problems: 1 },
    // property-test seed -284959563: the URL parser accepts quotes in a host
    { description: 'a CSP keyword as a host', input: "https://'unsafe-eval'", origins: [], problems: 1 },
    {
      description: 'a directive after a semicolon',
      input: 'https://a.example.org;script-src',
      origins: [],
      problems: 1,
    },
    {
      description: 'IPv6 loopback over http',
      input: 'http://[::1]:8103',
      origins: ['http://[::1]:8103'],
      problems: 0,
    },
    { description: 'not a URL', input: 'fhir.example.org', origins: [], problems: 1 },
    {
      description: 'a good and a bad one',
      input: 'https://ok.example.org ftp://x.example.org',
      origins: ['https://ok.example.org'],
      problems: 1,
    },
  ])('$description', ({ input, origins, problems }) => {
    const result = parseAllowedOrigins(input);
    expect(result.origins).toEqual(origins);
    expect(result.problems).toHaveLength(problems);
  });
});

describe('checkServerAllowed', () => {
  const allowed = ['https://fhir.example.org', 'http://127.0.0.1:8103'];
  it.each([
    { description: 'an allowed origin, any path', url: 'https://fhir.example.org/r4', ok: true },
    { description: 'an allowed loopback server', url: 'http://127.0.0.1:8103/fhir', ok: true },
    { description: "the app's own origin", url: 'http://127.0.0.1:4173/fhir', ok: true },
    { description: 'another port', url: 'https://fhir.example.org:444/r4', ok: false },
    { description: 'another host', url: 'https://other.example.org/fhir', ok: false },
    { description: 'http instead of https', url: 'http://fhir.example.org/r4', ok: false },
  ])('$description', ({ url, ok }) => {
    const refusal = checkServerAllowed(url, allowed, 'http://127.0.0.1:4173');
    expect(refusal === undefined).toBe(ok);
    if (refusal) {
      expect(refusal.kind).toBe('not-allowed');
      expect(refusal.advice).toContain(`${FHIR_ORIGINS_ENV}=${new URL(url).origin} npm start`);
    }
  });

  it('names the origin only, never the path', () => {
    const refusal = checkServerAllowed('https://other.example.org/tenant-xyz/r4', allowed);
    expect(`${refusal?.message} ${refusal?.advice}`).not.toContain('tenant-xyz');
  });

  it('says when no server is allowed at all', () => {
    expect(checkServerAllowed('https://fhir.example.org/r4', [])?.message).toContain('no FHIR server yet');
  });
});
