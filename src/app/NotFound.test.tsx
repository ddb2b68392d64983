/**
 * An address that names no workspace: the page says it does not exist and links to every
 * workspace in the open project. That the app shows it for a mistyped address, with its window
 * title, fitting both widths and passing axe, is layout.spec.ts's.
 */
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { NotFound } from './NotFound.tsx';
import { parseAddress } from './route.ts';
import { OpenProjectContext } from './useWorkspaceRoute.ts';

const PROJECT = '0f1e2d3c-4b5a-4697-8877-665544332211';

describe('an address that names no workspace', () => {
  it('says the page does not exist and links to every workspace of the open project', () => {
    render(
      <OpenProjectContext.Provider value={PROJECT}>
        <NotFound />
      </OpenProjectContext.Provider>,
    );
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('This page does not exist');
    const links = screen.getAllByRole('link');
    expect(links.map((link) => link.textContent)).toEqual([
      'Workflows',
      'Migration',
      'Sign-off',
      'Readiness',
    ]);
    const places = links.map((link) => parseAddress(link.getAttribute('href') ?? ''));
    expect(places.map((p) => p.project)).toEqual([PROJECT, PROJECT, PROJECT, PROJECT]);
    expect(places.map((p) => p.route.workspace)).toEqual(['workflows', 'migration', 'signoff', 'readiness']);
  });
});
