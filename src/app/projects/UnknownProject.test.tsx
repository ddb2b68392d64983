/**
 * An address that names a project this browser does not hold: the screen says which (its id, the
 * only name an address carries), why that happens and what to do, and leads back to the project
 * still open, changing nothing.
 */
import 'fake-indexeddb/auto';
import { render, screen, within } from '@testing-library/react';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { createProject } from '../../core/project/changes.ts';
import { openStorage } from '../../storage/storage.ts';
import { createProjectSession, type ProjectSession } from './projectSession.ts';
import { UnknownProject } from './UnknownProject.tsx';

/** A well-formed project id no browser here holds. */
const ELSEWHERE = '0f1e2d3c-4b5a-4697-8877-665544332211';

const sessions: ProjectSession[] = [];
afterEach(() => {
  for (const session of sessions.splice(0)) session.destroy();
});

function session(): ProjectSession {
  const created = createProjectSession({
    openStorage: () => openStorage('preflight-unknown-project-test', { factory: new IDBFactory() }),
    createDemo: async (now) => createProject({ name: 'Demo clinic', now }),
    onState: () => {},
  });
  sessions.push(created);
  return created;
}

describe('UnknownProject', () => {
  it('names the project by its id, says why, and leads back to the project still open', () => {
    render(
      <UnknownProject
        id={ELSEWHERE}
        openName="Northside"
        openHref="#/project/p-1/workflows"
        session={session()}
      />,
    );
    const region = screen.getByRole('region', { name: 'This project is not in this browser' });
    expect(region.textContent).toContain(ELSEWHERE);
    expect(region.textContent).toContain('made in another browser');
    expect(region.textContent).toContain('Nothing was changed.');
    const back = within(region).getByRole('link', { name: 'go back to “Northside”' });
    expect(back.getAttribute('href')).toBe('#/project/p-1/workflows');
    expect(within(region).getByRole('button', { name: 'Import the project file' })).toBeTruthy();
    // the file picker behind the button is named for screen readers and out of the Tab order
    expect(screen.getByLabelText('Import a project file').getAttribute('tabindex')).toBe('-1');
  });

  it('says so when no project is open, with no link back', () => {
    render(<UnknownProject id={ELSEWHERE} openName={null} openHref="#/workflows" session={session()} />);
    const region = screen.getByRole('region', { name: 'This project is not in this browser' });
    expect(region.textContent).toContain('Nothing was changed. No project is open.');
    expect(within(region).queryByRole('link')).toBeNull();
  });
});
