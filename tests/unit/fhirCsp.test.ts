/**
 * The CSP's connect-src is 'self' plus exactly the FHIR origins set where the app is served
 * (PREFLIGHT_FHIR_ORIGINS), in the header and in the build's meta tag; a wrong entry stops the
 * build instead of being dropped.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  contentSecurityPolicy,
  contentSecurityPolicyFor,
  metaContentSecurityPolicyFor,
  securityHeadersFor,
} from '../../src/core/http/securityHeaders.ts';
import { originsAllowedBy } from '../../src/fhir/allowlist.ts';

const connectSrc = (policy: string) => policy.split('; ').find((d) => d.startsWith('connect-src'));

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe('CSP with allowed FHIR origins', () => {
  it("is 'self' only when no origin is allowed", () => {
    expect(connectSrc(contentSecurityPolicy)).toBe("connect-src 'self'");
    expect(contentSecurityPolicyFor([])).toBe(contentSecurityPolicy);
  });

  it('adds exactly the allowed origins to connect-src, in header and meta tag, and nothing else', () => {
    const origins = ['https://fhir.example.org', 'http://127.0.0.1:8103'];
    const header = contentSecurityPolicyFor(origins);
    expect(connectSrc(header)).toBe("connect-src 'self' https://fhir.example.org http://127.0.0.1:8103");
    expect(header.replace(/connect-src[^;]*/, '')).toBe(
      contentSecurityPolicy.replace(/connect-src[^;]*/, ''),
    );
    expect(connectSrc(metaContentSecurityPolicyFor(origins))).toBe(connectSrc(header));
    expect(metaContentSecurityPolicyFor(origins)).not.toContain('frame-ancestors');
    expect(securityHeadersFor(origins)['Content-Security-Policy']).toBe(header);
  });

  it('vite.config.ts reads PREFLIGHT_FHIR_ORIGINS for the preview headers and the page the app reads', async () => {
    vi.stubEnv('PREFLIGHT_FHIR_ORIGINS', 'https://fhir.example.org/');
    const config = (await import('../../vite.config.ts')).default as {
      preview: { headers: Record<string, string> };
      plugins: { name: string; configResolved(config: unknown): void; transformIndexHtml(): unknown }[];
    };
    expect(connectSrc(config.preview.headers['Content-Security-Policy'] as string)).toBe(
      "connect-src 'self' https://fhir.example.org",
    );
    const metaTag = config.plugins.find((plugin) => plugin.name === 'preflight-csp-meta');
    if (!metaTag) throw new Error('vite.config.ts has no preflight-csp-meta plugin');
    const metaContent = (command: 'build' | 'serve') => {
      metaTag.configResolved({ command });
      const [tag] = metaTag.transformIndexHtml() as { attrs: Record<string, string> }[];
      expect(tag?.attrs['http-equiv']).toBe('Content-Security-Policy');
      return tag?.attrs.content;
    };
    // the built page carries the whole policy; the dev server's page its connect-src only
    expect(metaContent('build')).toBe(metaContentSecurityPolicyFor(['https://fhir.example.org']));
    expect(metaContent('serve')).toBe("connect-src 'self' https://fhir.example.org");
    // what the app reads back as its allowed origins (src/app/fhirOrigins.ts)
    for (const command of ['build', 'serve'] as const) {
      expect(originsAllowedBy(metaContent(command))).toEqual(['https://fhir.example.org']);
    }
  });

  it.each([
    { policy: metaContentSecurityPolicyFor([]), origins: [] },
    {
      policy: contentSecurityPolicyFor(['https://a.example.org', 'http://127.0.0.1:8103']),
      origins: ['https://a.example.org', 'http://127.0.0.1:8103'],
    },
    {
      policy: "default-src 'none'; CONNECT-SRC  'self'   https://b.example.org ;",
      origins: ['https://b.example.org'],
    },
    { policy: "default-src 'none'", origins: [] },
    { policy: null, origins: [] },
  ])('reads the allowed origins back from the policy $policy', ({ policy, origins }) => {
    expect(originsAllowedBy(policy)).toEqual(origins);
  });

  it('vite.config.ts refuses a wrong entry with a message', async () => {
    vi.stubEnv('PREFLIGHT_FHIR_ORIGINS', 'http://fhir.example.org');
    await expect(import('../../vite.config.ts')).rejects.toThrow(/PREFLIGHT_FHIR_ORIGINS: .*must use https/);
  });
});
