import { type MouseEvent, useEffect, useRef } from 'react';
import { addReport, newId } from '../core/project/changes.ts';
import type { Project } from '../formats/project.ts';
import { DEMO_PROJECT_NAME } from './demo/demoName.ts';
import { JobsIndicator } from './jobs/JobsIndicator.tsx';
import { useJobsFollowProject } from './jobs/useJobs.ts';
import { MigrationWorkspace } from './migration/MigrationWorkspace.tsx';
import { NotFound } from './NotFound.tsx';
import { ProjectBar } from './projects/ProjectBar.tsx';
import type { ProjectSession } from './projects/projectSession.ts';
import { StorageLost } from './projects/StorageLost.tsx';
import { UnknownProject } from './projects/UnknownProject.tsx';
import { useProjectAddress } from './projects/useProjectAddress.ts';
import { useProjectSession } from './projects/useProjectSession.ts';
import { ReadinessWorkspace } from './readiness/ReadinessWorkspace.tsx';
import {
  HOME,
  hrefIn,
  READINESS_TABS,
  type Route,
  routeInOtherProject,
  screenOf,
  serialiseAddress,
  serialiseRoute,
  WORKSPACES,
} from './route.ts';
import { SignoffWorkspace } from './signoff/SignoffWorkspace.tsx';
import { useOpenTeamProjectHere } from './team/openTeamProject.ts';
import { SharedRecordsBar } from './team/SharedRecordsBar.tsx';
import { TeamScreen } from './team/TeamScreen.tsx';
import { SessionEnded, TeamSignIn } from './team/TeamSignIn.tsx';
import { TeamServerContext } from './team/teamContext.ts';
import { type TeamServerState, useTeamServer } from './team/useTeamServer.ts';
import {
  navigate,
  navigateTo,
  OpenProjectContext,
  useAddress,
  useDocumentTitle,
  useLinksKeepTheProject,
} from './useWorkspaceRoute.ts';
import { useKeepBackTests } from './workflows/eventlog/keptBackTest.ts';
import { useKeepLogMaps } from './workflows/eventlog/keptMap.ts';
import { useKeepGoLiveChecks } from './workflows/eventlog/lastCheck.ts';
import { placeName } from './workflows/placeName.ts';
import { WorkflowsWorkspace } from './workflows/WorkflowsWorkspace.tsx';

export function App() {
  const { state, session } = useProjectSession();
  useJobsFollowProject(state);
  // a finished go-live check goes into the project wherever the user is meanwhile
  useKeepGoLiveChecks(state.phase === 'ready' ? state.project : null, session?.dispatch);
  // and so does a discovered process map, so a reload shows it again without the log
  useKeepLogMaps(state.phase === 'ready' ? state.project : null, session?.dispatch);
  // and so does a capacity model's check against a log
  useKeepBackTests(state.phase === 'ready' ? state.project : null, session?.dispatch);
  const address = useAddress();
  const { route } = address;
  const team = useTeamServer();
  const openTeamProjectHere = useOpenTeamProjectHere(team.state, state.phase === 'ready' ? session : null);
  // the project the address names is opened; one this browser does not hold is said, not opened
  const step = useProjectAddress(state, session, address);
  useLinksKeepTheProject();
  const openId = state.project?.meta.id;
  /** The href of `to` in the open project. */
  const hrefInOpen = (to: Route) => hrefIn(openId, to);
  const inStep = step.kind === 'none' || step.kind === 'name-open';
  const mainRef = useRef<HTMLElement>(null);
  // a Readiness tab other than the first names itself in the title, as a process page's tab does
  const readinessTab =
    route.workspace === 'readiness' && route.tab !== undefined && route.tab !== 'decision'
      ? READINESS_TABS.find((t) => t.id === route.tab)?.label
      : undefined;
  useDocumentTitle(
    route,
    inStep ? (state.project?.meta.name ?? null) : null,
    inStep
      ? (placeName(route, state.project) ?? readinessTab)
      : step.kind === 'unknown'
        ? 'Project not in this browser'
        : 'Opening a project',
  );
  const screen = screenOf(route);

  // move focus to the workspace after navigation so keyboard and screen-reader users land there; a new
  // screen opens at its top, header included: focusing <main> alone would scroll the header (the tabs
  // and the running jobs with their Cancel) out of view, and keep the old screen's scroll offset.
  // A screen that placed focus itself (back on "Open in editor" after the editor closes) keeps it, and
  // a change of tab is not a new screen (screenOf leaves tabs out).
  // biome-ignore lint/correctness/useExhaustiveDependencies: the screen change is the trigger, not an input
  useEffect(() => {
    if (!window.location.hash) return;
    const main = mainRef.current;
    if (main && document.activeElement !== main && main.contains(document.activeElement)) return;
    window.scrollTo(0, 0);
    main?.focus({ preventScroll: true });
  }, [screen]);
  // the skip link moves focus without touching the address: "#main" names no workspace
  const skipToMain = (e: MouseEvent) => {
    e.preventDefault();
    mainRef.current?.focus();
  };

  if (state.phase === 'wiped') {
    return (
      <main className="wiped" ref={mainRef} tabIndex={-1}>
        <h1>Preflight</h1>
        {state.error ? (
          <p role="alert">{state.error}</p>
        ) : (
          <p role="status">
            Everything Preflight stored in this browser was erased. Your files on disk were not touched.
          </p>
        )}
        <button
          type="button"
          className="primary"
          onClick={() => {
            // the erased project's id leaves the address: the place stays, in the new demo clinic
            window.history.replaceState(window.history.state, '', serialiseRoute(route));
            window.location.reload();
          }}
        >
          Start again with the demo clinic
        </button>
      </main>
    );
  }

  const project = state.project;
  // the empty workspaces offer the demo clinic, except inside the demo clinic itself
  const openDemo =
    session && project?.meta.name !== DEMO_PROJECT_NAME ? () => void session.openDemo() : undefined;
  return (
    <OpenProjectContext.Provider value={openId}>
      {/* biome-ignore lint/a11y/useValidAnchor: a real in-page link (it works without script), but the
          address's hash is the workspace router's, so with script it moves focus without changing it */}
      <a className="skip-link" href="#main" onClick={skipToMain}>
        Skip to workspace
      </a>
      <header className="app-header">
        <div className="brand">
          <h1>Preflight</h1>
          <span className="tagline">
            EHR go-live readiness ·{' '}
            {team.state.phase === 'none' || team.state.phase === 'probing'
              ? 'runs in this browser only'
              : 'projects in this browser; team projects on your clinic’s Preflight server'}
          </span>
        </div>
        {session && state.phase === 'ready' && (
          <ProjectBar
            state={state}
            session={session}
            // the address names the chosen project, so Back returns to the one left
            onChoose={(id) => navigateTo({ project: id, route: routeInOtherProject(route) })}
          />
        )}
        <nav aria-label="Workspaces">
          <ul>
            {WORKSPACES.map((w) => (
              <li key={w.id}>
                <a
                  href={hrefInOpen(w.id === 'workflows' ? HOME : { workspace: w.id })}
                  aria-current={route.workspace === w.id ? 'page' : undefined}
                >
                  {w.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {/* keyed by the open project: its notes of ended jobs belong to that project, and go with it
            (a switch or a delete; the jobs themselves are cancelled by useJobsFollowProject) */}
        <JobsIndicator key={state.project?.meta.id ?? ''} />
        <TeamSignIn team={team} hash={serialiseAddress(address)} project={openId} />
      </header>
      <div className="messages">
        {team.state.phase === 'signed-in' && team.state.ended && (
          <SessionEnded hash={serialiseAddress(address)} />
        )}
        {state.phase === 'ready' && (
          <SharedRecordsBar
            team={team.state}
            project={state.project ?? null}
            dispatch={session?.dispatch}
            latest={() => session?.getState().project ?? null}
          />
        )}
        {state.error && state.phase !== 'lost' && (
          <div className="banner banner-error" role="alert">
            <p>{state.error}</p>
            <button type="button" onClick={() => session?.dismissMessages()}>
              Dismiss
            </button>
          </div>
        )}
        {state.notice && (
          <div className="banner banner-notice" role="status">
            <p>{state.notice}</p>
            <button type="button" onClick={() => session?.dismissMessages()}>
              Dismiss
            </button>
          </div>
        )}
      </div>
      <main id="main" ref={mainRef} tabIndex={-1}>
        {state.phase === 'loading' && <p role="status">Opening your projects…</p>}
        {/* a full disk is explained by its own message: the hint about private windows would mislead */}
        {state.phase === 'failed' && state.openRetrying && (
          <p className="empty">
            Preflight keeps trying to open your stored projects and shows them here as soon as it can.
          </p>
        )}
        {state.phase === 'failed' && !state.openRetrying && (
          <p className="empty">
            Preflight could not open its storage in this browser. Private windows and some browser settings
            block it; try a normal window.
          </p>
        )}
        {step.kind === 'unknown' && session && (
          <UnknownProject
            id={step.project}
            openName={project?.meta.name ?? null}
            openHref={hrefInOpen(routeInOtherProject(route))}
            session={session}
          />
        )}
        {step.kind === 'looking' && <p role="status">Looking for the project this address names…</p>}
        {(step.kind === 'open' || step.kind === 'opening') && (
          <p role="status">
            Opening “{state.projects.find((p) => p.id === step.project)?.name ?? 'the project'}”…
          </p>
        )}
        {route.workspace === 'team' && state.phase !== 'lost' && (
          <TeamScreen state={team.state} teamProject={route.teamProject} openHere={openTeamProjectHere} />
        )}
        {inStep &&
          state.phase === 'ready' &&
          !project &&
          route.workspace !== 'not-found' &&
          route.workspace !== 'team' && (
            <p className="empty">
              No project is open. Choose one above, create a new one, or import a project file.
            </p>
          )}
        {state.phase === 'lost' && session && <StorageLost state={state} session={session} />}
        {route.workspace === 'not-found' && state.phase !== 'lost' && <NotFound />}
        {inStep && state.phase === 'ready' && project && (
          <OpenWorkspace
            route={route}
            project={project}
            session={session}
            team={team.state}
            onOpenDemo={openDemo}
          />
        )}
      </main>
    </OpenProjectContext.Provider>
  );
}

/**
 * The workspace the address names, of the open `project`: Workflows, Migration, Sign-off or
 * Readiness, with what each may change through the project's `session` (none: read-only), and
 * the team server's state (`team`) given to all of them alike.
 */
export function OpenWorkspace({
  route,
  project,
  session,
  team,
  onOpenDemo: openDemo,
}: {
  route: Route;
  project: Project;
  session: ProjectSession | null;
  /** the team server's state, as the app holds it */
  team: TeamServerState;
  onOpenDemo?: (() => void) | undefined;
}) {
  // every workspace reads the team server's state from here: whether the open project is
  // shared, and who signs for it, is the same question on each screen
  return (
    <TeamServerContext.Provider value={team}>
      {route.workspace === 'workflows' && (
        <WorkflowsWorkspace
          project={project}
          place={route.place}
          onOpenDemo={openDemo}
          dispatch={session ? (change) => session.dispatch(change) : undefined}
        />
      )}
      {route.workspace === 'migration' && (
        <MigrationWorkspace
          project={project}
          onOpenDemo={openDemo}
          onSaveReport={session ? (report) => session.commit(addReport(report)) : undefined}
          dispatch={session ? (change) => session.dispatch(change) : undefined}
          {...(route.report === undefined ? {} : { openReport: route.report })}
        />
      )}
      {route.workspace === 'signoff' && (
        <SignoffWorkspace
          project={project}
          team={team}
          onOpenDemo={openDemo}
          actions={
            session
              ? {
                  save: (samplePlan) => session.dispatch({ type: 'samplePlan/put', samplePlan }),
                  newId,
                  now: () => new Date().toISOString(),
                  randomBytes: (length) => crypto.getRandomValues(new Uint8Array(length)),
                }
              : undefined
          }
          reviewActions={
            session
              ? {
                  commit: (change) => session.commit(change),
                  newId,
                  now: () => new Date().toISOString(),
                  auditLog: () => session.auditLog(),
                  saved: () => session.flush(),
                  current: () => session.getState().project ?? undefined,
                  projectId: project.meta.id,
                  createProject: async (name) => {
                    const before = session.getState().project?.meta.id;
                    await session.create(name);
                    // create() reports its own failure on screen; say whether the new project is open
                    const opened = session.getState().project;
                    return opened !== null && opened.meta.id !== before && opened.meta.name === name;
                  },
                }
              : undefined
          }
        />
      )}
      {route.workspace === 'readiness' && (
        <ReadinessWorkspace
          project={project}
          tab={route.tab ?? 'decision'}
          onTab={(tab, options) =>
            navigate(
              tab === 'decision' ? { workspace: 'readiness' } : { workspace: 'readiness', tab },
              options,
            )
          }
          onOpenDemo={openDemo}
          dispatch={session ? (change) => session.dispatch(change) : undefined}
          steering={
            session
              ? {
                  commit: (change) => session.commit(change),
                  newId,
                  now: () => new Date().toISOString(),
                  auditLog: () => session.auditLog(),
                }
              : undefined
          }
        />
      )}
    </TeamServerContext.Provider>
  );
}
