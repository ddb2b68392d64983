import { useEffect, useState } from 'react';
import { removeStaleKeySpill, type SpillDirectory, type SpillLocks } from '../../../workers/opfsKeySpill.ts';
import { openStorage } from '../../storage/storage.ts';
import { fileMarker, type MarkerDirectory, webStorageMarker } from '../../storage/storeMarker.ts';
import { pageLocalStorage } from '../common/pageStorage.ts';
import { createDemoProject } from '../demo/demoProject.ts';
import {
  createProjectSession,
  initialSessionState,
  type ProjectSession,
  type SessionState,
} from './projectSession.ts';
import { wipeSiteData } from './wipeSiteData.ts';

/** Owns the one project session of the app (its only owner) and re-renders on its state. */
export function useProjectSession(): { state: SessionState; session: ProjectSession | null } {
  const [session, setSession] = useState<ProjectSession | null>(null);
  const [state, setState] = useState<SessionState | null>(null);

  useEffect(() => {
    const created = createProjectSession({
      openStorage: () => openStorage(),
      createDemo: createDemoProject,
      onState: setState,
      marker: webStorageMarker(pageLocalStorage()),
      markerCopy:
        typeof navigator !== 'undefined' && navigator.storage?.getDirectory
          ? fileMarker(() => navigator.storage.getDirectory() as unknown as Promise<MarkerDirectory>)
          : undefined,
      // the implementation guide packages' and the running jobs' own databases go with the projects
      wipeOutside: () => wipeSiteData(),
    });
    // key-spill folders of validation runs that a crashed or killed tab left behind
    if (typeof navigator !== 'undefined' && navigator.storage?.getDirectory) {
      navigator.storage
        .getDirectory()
        .then((root) =>
          removeStaleKeySpill(
            root as unknown as SpillDirectory,
            navigator.locks as unknown as SpillLocks | undefined,
          ),
        )
        .catch(() => undefined);
    }
    setSession(created);
    setState(created.getState());
    // a tab being hidden, reloaded or closed is the last chance to keep what is pending: only a
    // write issued synchronously in these handlers survives an unloading page (rescue.ts)
    const onHide = () => {
      created.secure();
    };
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') created.secure();
    };
    // ask before leaving only when changes really are at risk (writes failing or stopped);
    // an ordinary unsaved edit is secured without bothering the user
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (created.secure()) return;
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('pagehide', onHide);
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      window.removeEventListener('pagehide', onHide);
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('beforeunload', onBeforeUnload);
      created.destroy();
    };
  }, []);

  return {
    session,
    state: state ?? initialSessionState,
  };
}
