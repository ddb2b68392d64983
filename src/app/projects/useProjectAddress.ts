import { useEffect, useMemo, useRef, useState } from 'react';
import { parseRoute } from '../route.ts';
import { type Address, addressIsStill, navigateTo } from '../useWorkspaceRoute.ts';
import { type AddressStep, addressStep } from './projectAddress.ts';
import type { ProjectSession, SessionState } from './projectSession.ts';

/** Before the session is ready no project was open yet, which is not the same as none open. */
const NOT_YET = Symbol('not yet');

/** What the screen shows: the step, or `looking` while the stored projects are listed again. */
type AddressView = AddressStep | { kind: 'looking'; project: string };

/**
 * Keeps the open project and the address in step (projectAddress.ts says how) and returns what the
 * screen shows meanwhile: `opening` while a switch the address asked for runs, `unknown` when the
 * address names a project this browser does not hold (the open project stays open, untouched).
 * Before saying so, the stored projects are listed again (`looking`): another tab may have created
 * the project since this one listed them.
 */
export function useProjectAddress(
  state: SessionState,
  session: ProjectSession | null,
  address: Address,
): AddressView {
  const open = state.project?.meta.id;
  const ready = state.phase === 'ready' && session !== null;
  // the open project when the address was last brought in step, and a switch asked for
  const lastOpen = useRef<string | undefined | typeof NOT_YET>(NOT_YET);
  const requested = useRef<string | undefined>(undefined);
  // ids the stored projects were listed again for (and when that ended), to look once per id
  const lookedFor = useRef(new Set<string>());
  const [looked, setLooked] = useState<ReadonlySet<string>>(new Set());
  const known = useMemo(() => new Set(state.projects.map((p) => p.id)), [state.projects]);
  const sessionSwitched =
    ready && lastOpen.current !== NOT_YET && lastOpen.current !== open && open !== requested.current;
  const step = addressStep({
    ready,
    addressed: address.project,
    open,
    known,
    sessionSwitched,
    requested: requested.current,
  });

  const looking = step.kind === 'unknown' && !looked.has(step.project);

  useEffect(() => {
    // after a loss nothing is open: the project the user then imports (or the demo) is the
    // session's doing, and the address follows it
    if (session && state.phase === 'lost') lastOpen.current = undefined;
    if (!ready || !session) return;
    if (step.kind === 'unknown' && !lookedFor.current.has(step.project)) {
      const id = step.project;
      lookedFor.current.add(id);
      void session.refreshProjects().then(() => setLooked((done) => new Set(done).add(id)));
    }
    lastOpen.current = open;
    if (open === requested.current) requested.current = undefined;
    // both steps act only while the address is still the one this render read: when a link was
    // clicked after React committed the render and before it ran this effect, the render that
    // follows the move decides, so the place the person went to is kept
    if (step.kind === 'name-open') {
      navigateTo({ project: step.project, route: address.route }, { replace: true, from: address });
    } else if (step.kind === 'open') {
      if (!addressIsStill(address)) return;
      const wanted = step.project;
      requested.current = wanted;
      // open() saves what is pending in the project being left before it loads the other
      void session.open(wanted).then(() => {
        if (requested.current !== wanted) return;
        const now = session.getState().project?.meta.id;
        if (now === wanted) return;
        // the switch failed (the session shows why): the address goes back to the open project
        requested.current = undefined;
        if (now !== undefined)
          navigateTo({ project: now, route: parseRoute(window.location.hash) }, { replace: true });
      });
    }
  });

  return looking ? { kind: 'looking', project: step.project } : step;
}
