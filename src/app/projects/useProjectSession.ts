import { useEffect, useState } from 'react';
import { openStorage } from '../../storage/storage.ts';
import { createDemoProject } from '../demo/demoProject.ts';
import {
  createProjectSession,
  initialSessionState,
  type ProjectSession,
  type SessionState,
} from './projectSession.ts';

/** Owns the one project session of the app (STYLE.md 2) and re-renders on its state. */
export function useProjectSession(): { state: SessionState; session: ProjectSession | null } {
  const [session, setSession] = useState<ProjectSession | null>(null);
  const [state, setState] = useState<SessionState | null>(null);

  useEffect(() => {
    const created = createProjectSession({
      openStorage: () => openStorage(),
      createDemo: createDemoProject,
      onState: setState,
    });
    setSession(created);
    setState(created.getState());
    // a tab being hidden or closed is the last chance to write what is pending
    const onHide = () => {
      // failures already show in the save status; nothing more can be done while hiding
      created.flush().catch(() => {});
    };
    window.addEventListener('pagehide', onHide);
    document.addEventListener('visibilitychange', onHide);
    return () => {
      window.removeEventListener('pagehide', onHide);
      document.removeEventListener('visibilitychange', onHide);
      created.destroy();
    };
  }, []);

  return {
    session,
    state: state ?? initialSessionState,
  };
}
