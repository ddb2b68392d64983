/**
 * The app opened over plain HTTP at a LAN address: no secure context, so no crypto. The page
 * says why and what to open instead, rather than failing blank on the app's first id.
 */
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { hasSecureContext, httpsAddressOf, SecureContextRequired } from './SecureContextRequired.tsx';

describe('a page without a secure context', () => {
  it.each([
    { description: 'https://', isSecureContext: true, runs: true },
    { description: 'plain http on a LAN address', isSecureContext: false, runs: false },
    { description: 'a browser that does not say', isSecureContext: undefined, runs: false },
  ])('$description: the app runs = $runs', ({ isSecureContext, runs }) => {
    expect(hasSecureContext({ isSecureContext } as Pick<Window, 'isSecureContext'>)).toBe(runs);
  });

  it.each([
    { href: 'http://192.168.1.20:8080/#/team', expected: 'https://192.168.1.20' },
    { href: 'http://preflight.clinic.org/', expected: 'https://preflight.clinic.org' },
    { href: 'https://preflight.clinic.org/', expected: undefined },
  ])('offers $expected for $href', ({ href, expected }) => {
    expect(httpsAddressOf(href)).toBe(expected);
  });

  it('says why the app cannot run and what to open instead', () => {
    render(<SecureContextRequired href="http://192.168.1.20:8080/#/team" />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe(
      'Preflight needs a secure (https://) address',
    );
    expect(screen.getByRole('main').textContent).toContain(
      'opened at http://192.168.1.20:8080, over plain HTTP',
    );
    expect(screen.getByRole('link', { name: 'https://192.168.1.20' }).getAttribute('href')).toBe(
      'https://192.168.1.20',
    );
    expect(screen.getByRole('main').textContent).toMatch(/ask them for Preflight’s address/);
  });
});
