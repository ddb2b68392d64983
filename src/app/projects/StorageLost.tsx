import { ImportProgress, ImportProjectButton } from './ProjectBar.tsx';
import type { ProjectSession, SessionState } from './projectSession.ts';
import { useProjectImport } from './useProjectImport.ts';

/**
 * The start screen when the browser discarded Preflight's database although projects were stored
 * (the store marker says so): the reason in plain words, and the two ways on — import the last
 * exported project file, or start the demo clinic. Nothing is created until the user chooses.
 */
export function StorageLost({ state, session }: { state: SessionState; session: ProjectSession }) {
  const imports = useProjectImport(session);
  return (
    <section className="storage-lost" aria-labelledby="storage-lost-title">
      <h2 id="storage-lost-title">Your stored projects are gone</h2>
      <p role="alert">{state.error}</p>
      <div className="storage-lost-actions">
        <ImportProjectButton imports={imports} className="primary">
          Import the last exported project file
        </ImportProjectButton>
        <button type="button" onClick={() => void session.openDemo()}>
          Start the demo clinic
        </button>
      </div>
      <p>
        Exported project files end in <code>.preflight.json</code>; look in your downloads folder. Import the
        other project files one after another once the first is open.
      </p>
      <ImportProgress state={imports.state} onCancel={imports.cancel} />
    </section>
  );
}
