/**
 * What an empty Workflows, Migration or Sign-off screen shows. On this browser's own project:
 * what will be possible there and the demo clinic (`EmptyState`), as a brand-new project should.
 * On a project shared with the team server, never the demo — it would replace the team's project
 * in this browser and tell nobody what is missing — but what the team has not shared yet of the
 * screen's own kinds and who on the team can share it (`notSharedYet` over the shared record, as
 * Readiness judges it); a signed-out member is asked to sign in, since what the team shared is
 * read from the server as herself.
 *
 * Constraints: nothing is shown while whether the project is shared, or what the team shared, is
 * still being read (the demo must never flash up on a shared project). The kinds that live on the
 * server apart from the records a copy holds (the shared workflows, the validation summaries) are
 * not read here but given by the screen (`team`), from the read it makes for itself anyway — the
 * list of shared workflows, the team's runs — so the screen asks the server once, and never opens
 * a workflow only to learn that one is shared.
 */
import { type ReactNode, useMemo } from 'react';
import { notSharedYet, type SharedEvidenceKind, sharedReadinessProject } from '../../core/readiness/index.ts';
import type { ReportSummary } from '../../core/teamRecords/index.ts';
import type { Project } from '../../formats/project.ts';
import { EmptyState } from '../common/EmptyState.tsx';
import { NotSharedYet } from './NotSharedYet.tsx';
import { useProjectSharing } from './projectSharing.ts';

/**
 * What a screen read of the team server of the kinds a copy's records do not hold: each left out
 * while it is still being read (a screen that shows such a kind must give it).
 */
export interface SharedListing {
  /** the project's shared workflows as the server lists them (none opened) */
  workflows?: readonly { id: string }[] | undefined;
  /** the validation summaries members' runs shared */
  reportSummaries?: readonly ReportSummary[] | undefined;
  /** why the read failed, in the clinic's words */
  unread?: string | undefined;
}

/** What a shared project's screen says to someone not signed in to the team server. */
export function SignInToSeeShared() {
  return (
    <p className="hint" data-testid="shared-signed-out">
      This project is shared with your clinic’s Preflight server: sign in to see what the team has shared.
    </p>
  );
}

/** The props of {@link EmptyWorkspace}. */
interface EmptyWorkspaceProps {
  /** the open project, whose screen holds nothing of its own kind */
  project: Project;
  /** the kinds of evidence this screen shows, as the team shares them */
  shows: readonly SharedEvidenceKind[];
  /** the screen's own read of the team server, when it shows workflows or validation runs */
  team?: SharedListing | undefined;
  /** what the screen shows once the team has shared it, naming team project `teamProjectName` */
  shared: (teamProjectName: string) => ReactNode;
  /** opens the demo clinic (this browser's own project only; left out inside the demo itself) */
  onOpenDemo?: (() => void) | undefined;
  /** what will be possible here, for this browser's own project */
  children: ReactNode;
}

/** The empty state of a screen (see the header). */
export function EmptyWorkspace({ project, shows, team, shared, onOpenDemo, children }: EmptyWorkspaceProps) {
  const sharing = useProjectSharing(project.meta.id);
  const missing = useMemo(() => {
    if (sharing.kind !== 'shared' || sharing.signer === undefined) return undefined;
    if (shows.includes('workflows') && team?.workflows === undefined) return undefined;
    if (shows.includes('validation-runs') && team?.reportSummaries === undefined) return undefined;
    const judged = sharedReadinessProject(project);
    return notSharedYet({ ...judged, workflows: team?.workflows ?? [] }, team?.reportSummaries ?? [], shows);
  }, [sharing, team, project, shows]);

  if (sharing.kind === 'reading') return null;
  if (sharing.kind === 'local') return <EmptyState onOpenDemo={onOpenDemo}>{children}</EmptyState>;
  if (sharing.signer === undefined) return <SignInToSeeShared />;
  if (team?.unread !== undefined)
    return <p className="hint">What the team has shared could not be read just now: {team.unread}</p>;
  // still reading, or the team has shared all this screen shows (its list says so)
  if (missing === undefined || missing.length === 0) return null;
  return <NotSharedYet missing={missing}>{shared(sharing.teamProjectName)}</NotSharedYet>;
}
