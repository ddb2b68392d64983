import { render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureProject } from '../../formats/testing/fixtures.ts';
import { conflictBeside, publishConflict } from '../team/testing/conflictBeside.ts';
import { RosterPanel } from './RosterPanel.tsx';
import type { ReviewActions } from './reviewActions.ts';

/**
 * What the roster says where signing keys cannot work. WebAuthn needs a domain, so an app opened
 * at an IP address points to the same page by name; jsdom has no WebAuthn at all, which the roster
 * says in other words. The page's address is the jsdom instance's own (vitest exposes it), put
 * back after each case: the component files share one window.
 */
const { jsdom } = globalThis as unknown as { jsdom: { reconfigure(options: { url: string }): void } };
const ADDRESS = window.location.href;

afterEach(() => {
  jsdom.reconfigure({ url: ADDRESS });
});

const webauthnNote = () => screen.getByTestId('roster-webauthn').textContent;

describe('RosterPanel where keys cannot be used', () => {
  it.each([
    ['http://127.0.0.1:4173/#/signoff', 'http://localhost:4173/#/signoff'],
    ['http://[::1]:4173/#/signoff', 'http://localhost:4173/#/signoff'],
  ])('at %s it says to open the app by name, at %s', (url, byName) => {
    jsdom.reconfigure({ url });
    render(<RosterPanel project={fixtureProject()} />);
    expect(webauthnNote()).toBe(
      `Signing keys work only when Preflight is opened by name: open ${byName} to register and confirm keys.`,
    );
  });

  it('at a name, in a browser without WebAuthn, says keys cannot be made here', () => {
    jsdom.reconfigure({ url: 'http://localhost:4173/#/signoff' });
    render(<RosterPanel project={fixtureProject()} />);
    expect(webauthnNote()).toBe(
      'This browser offers no WebAuthn (security key, fingerprint or device PIN): keys cannot be registered or confirmed here.',
    );
  });
});

describe('RosterPanel with a colleague’s change made first', () => {
  it('opens on it, told beside the people, each change as hers and yours', () => {
    const added = (name: string) => ({ kind: 'person-added', name, by: 'Lena Okafor' });
    publishConflict(
      'roster',
      'roster',
      { changes: [added('Sam Okafor')] },
      { changes: [added('Sam Okafor'), added('Rosa Lindqvist')] },
    );
    const actions: ReviewActions = {
      commit: async () => {},
      newId: () => 'id-1',
      now: () => '2026-11-27T10:00:00Z',
      auditLog: async () => [],
      projectId: 'p1',
    };
    render(<RosterPanel project={fixtureProject()} actions={actions} />);
    const roster = document.querySelector('details.roster-panel') as HTMLDetailsElement;
    // closed until someone opens it, but not over a conflict that waits for a choice
    expect(roster.open).toBe(true);
    expect(conflictBeside(roster, screen.getByLabelText('Full name'), 'sign-off roster')).toEqual([
      ['changes “Rosa Lindqvist”', 'kind person-added, name Rosa Lindqvist, by Lena Okafor', 'nothing'],
    ]);
  });
});
