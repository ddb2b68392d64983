/**
 * The canvas's flow routes (flowRoutes.ts): owns one router, asks it to route the picture when the
 * canvas opens and after each arrangement (`routeWhen` changes), and gives the routes that fit the
 * picture shown (dragged steps included). Moving steps by hand does not route again: those flows
 * are drawn plainly until the next arrangement or opening, which keeps ELK off the second core
 * while a 1,000-step workflow is edited.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { routeFlowsInWorker } from '../../../../workers/layoutClient.ts';
import type { FlowEnds, RoutePoint, StepBox } from '../../../core/workflow/index.ts';
import {
  createFlowRouter,
  keepPicture,
  pictureCurrent,
  pictureFor,
  type RoutedPicture,
  usableRoutes,
} from './flowRoutes.ts';

/**
 * Routes for `flows` around `boxes` (the stored picture), as usable for `shown` (the picture on
 * screen: `boxes` with any step being dragged at its drag position). The picture is routed when
 * the hook starts and each time `routeWhen` changes; while it is null, nothing is routed.
 * `current`: the routes are of the picture shown (the boxes and flows they were made for). Routes
 * are kept per set of positions, so an undo or redo back to positions routed before draws theirs.
 */
export function useFlowRoutes(
  boxes: StepBox[],
  flows: readonly FlowEnds[],
  shown: StepBox[],
  routeWhen: string | null,
): { routes: ReadonlyMap<string, RoutePoint[]>; current: boolean } {
  // every set of positions routed (up to ROUTED_PICTURES_KEPT), newest first: an undo back to
  // positions routed before draws their routes again
  const [pictures, setPictures] = useState<RoutedPicture[]>([]);
  const latest = useRef({ boxes, flows });
  latest.current = { boxes, flows };

  useEffect(() => {
    // routeWhen is what asks for a new route; the picture is the one drawn when it changed
    if (routeWhen === null) return;
    const router = createFlowRouter({
      route: routeFlowsInWorker,
      onRoutes: (picture) => setPictures((kept) => keepPicture(kept, picture)),
    });
    router.update(latest.current.boxes, [...latest.current.flows]);
    return () => router.destroy();
  }, [routeWhen]);

  const picture = useMemo(() => pictureFor(pictures, boxes), [pictures, boxes]);
  return useMemo(
    () => ({ routes: usableRoutes(picture, shown), current: pictureCurrent(picture, shown, flows) }),
    [picture, shown, flows],
  );
}
