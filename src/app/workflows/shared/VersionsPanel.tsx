/**
 * A shared workflow's named versions (milestones), folded under the editor's title: name the
 * workflow as it is now, compare a version with now (the workflow comparison, steps traced by
 * their ids), and restore one — a restore is one more change, so nothing done since is lost from
 * the history.
 */
import { useCallback, useEffect, useState } from 'react';
import { compareVersions } from '../../../core/workflow/shared/index.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { TeamError, type TeamSession } from '../../../storage/teamServer.ts';
import { plural } from '../../common/format.ts';
import { namedVersionsRead } from '../../team/teamReads.ts';
import { useTeamRead } from '../../team/useTeamRead.ts';
import { type NamedVersion, nameVersion, restoreVersion, versionWorkflow } from './teamApi.ts';

/** What changed from a version to now, in one sentence. */
function versionDifference(name: string, then: Workflow, now: Workflow): string {
  const compared = compareVersions(then, now);
  const changed = compared.matches.filter((m) => m.changes.length > 0).length;
  const removed = compared.removed.retired.length;
  const added = compared.added.length;
  if (changed + removed + added === 0) return `Nothing has changed in the steps since “${name}”.`;
  return `Since “${name}”: ${plural(changed, 'step')} changed, ${plural(added, 'step')} added, ${plural(removed, 'step')} removed.`;
}

export function VersionsPanel({
  projectId,
  workflowId,
  session,
  current,
  canEdit,
  onRestored,
}: {
  projectId: string;
  workflowId: string;
  /** the app's signed-in session */
  session: TeamSession;
  current: Workflow;
  canEdit: boolean;
  onRestored: () => Promise<void>;
}) {
  const [name, setName] = useState('');
  const [message, setMessage] = useState('');
  const said = useCallback(
    (error: unknown) =>
      setMessage(error instanceof TeamError ? error.message : 'The team server cannot be reached just now.'),
    [],
  );
  // the versions' one copy in the browser's cache of team reads, read again on a workflow change
  const read = useTeamRead({ session, projectId }, namedVersionsRead, workflowId);
  const versions: readonly NamedVersion[] = read.value ?? [];
  const refresh = () => read.readNow().catch(() => undefined);
  const { unread } = read;
  useEffect(() => {
    if (unread !== undefined) setMessage(unread);
  }, [unread]);

  return (
    <details className="shared-versions">
      <summary>Named versions ({versions.length})</summary>
      {canEdit && (
        <form
          onSubmit={async (event) => {
            event.preventDefault();
            try {
              const named = await nameVersion(session, projectId, workflowId, name);
              setName('');
              setMessage(`Named this version “${named.name}”.`);
              await refresh();
            } catch (error) {
              said(error);
            }
          }}
        >
          <label>
            Name this version{' '}
            <input
              autoComplete="off"
              value={name}
              maxLength={200}
              onChange={(e) => setName(e.target.value)}
            />
          </label>{' '}
          <button type="submit" disabled={name.trim() === ''}>
            Name
          </button>
        </form>
      )}
      {versions.length > 0 && (
        <ul>
          {versions.map((v) => (
            <li key={v.id}>
              “{v.name}”, named by {v.namedBy} on {new Date(v.namedAt).toLocaleString()}{' '}
              <button
                type="button"
                onClick={async () => {
                  try {
                    setMessage(
                      versionDifference(
                        v.name,
                        await versionWorkflow(session, projectId, workflowId, v.id),
                        current,
                      ),
                    );
                  } catch (error) {
                    said(error);
                  }
                }}
              >
                Compare with now
              </button>{' '}
              {canEdit && (
                <button
                  type="button"
                  onClick={async () => {
                    try {
                      await restoreVersion(session, projectId, workflowId, v.id);
                      await onRestored();
                      setMessage(
                        `Restored “${v.name}” as a new change; the changes since are kept in the history.`,
                      );
                    } catch (error) {
                      said(error);
                    }
                  }}
                >
                  Restore
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {message && <p role="status">{message}</p>}
    </details>
  );
}
