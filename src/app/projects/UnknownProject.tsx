import { ImportProgress, ImportProjectButton } from './ProjectBar.tsx';
import type { ProjectSession } from './projectSession.ts';
import { useProjectImport } from './useProjectImport.ts';

/**
 * Shown for an address that names a project this browser does not hold: which one (its id, the
 * only name the address carries), why that happens, and what to do. Nothing is switched: the open
 * project stays open and untouched, one link away.
 */
export function UnknownProject({
  id,
  openName,
  openHref,
  session,
}: {
  id: string;
  /** the open project's name; null when none is open */
  openName: string | null;
  /** the same workspace in the open project */
  openHref: string;
  session: ProjectSession;
}) {
  const imports = useProjectImport(session);
  return (
    <section aria-labelledby="unknown-project-title" className="workspace">
      <h2 id="unknown-project-title">This project is not in this browser</h2>
      <p className="lede long-text">
        The address names a project that is not stored in this browser (its id is <code>{id}</code>). The
        address may have been made in another browser or on another computer, or the project was deleted here.
      </p>
      <p>
        To open it here, import its project file: whoever has the project exports it (Export, at the top) and
        sends you the file. Once it is imported, this address opens it.
      </p>
      <p className="long-text">
        Nothing was changed.{' '}
        {openName === null ? (
          'No project is open.'
        ) : (
          <>
            “{openName}” is still open: <a href={openHref}>go back to “{openName}”</a>.
          </>
        )}
      </p>
      <p>
        <ImportProjectButton imports={imports} className="primary">
          Import the project file
        </ImportProjectButton>
      </p>
      <ImportProgress state={imports.state} onCancel={imports.cancel} />
    </section>
  );
}
