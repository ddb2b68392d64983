/**
 * The canvas's flow routes (flowRoutes.ts): owns one router, asks it to route the picture when the
 * canvas opens and after each arrangement (`routeWhen` changes), and gives the routes that fit the
 * picture shown (dragged steps included). Moving steps by hand does not route again: those flows
 * are drawn plainly until the next arrangement or opening, which keeps ELK off the second core
 * while a 1,000-step workflow is edited.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { routeFlowsInWorker } from '../../../../workers/layoutClient.ts';
import type { RoutePoint, StepBox } from '../../../core/workflow/routeGeometry.ts';
import type { Flow } from '../../../formats/workflow.ts';
import { createFlowRouter, type RoutedPicture, usableRoutes } from './flowRoutes.ts';

/**
 * Routes for `flows` around `boxes` (the stored picture), as usable for `shown` (the picture on
 * screen: `boxes` with any step being dragged at its drag position). The picture is routed when
 * the hook starts and each time `routeWhen` changes; while it is null, nothing is routed.
 * `current`: the routes are of the picture shown (no step moved since they were made).
 */
export function useFlowRoutes(
  boxes: StepBox[],
  flows: readonly Flow[],
  shown: StepBox[],
  routeWhen: string | null,
): { routes: ReadonlyMap<string, RoutePoint[]>; current: boolean } {
  const [picture, setPicture] = useState<RoutedPicture | null>(null);
  const latest = useRef({ boxes, flows });
  latest.current = { boxes, flows };

  useEffect(() => {
    // routeWhen is what asks for a new route; the picture is the one drawn when it changed
    if (routeWhen === null) return;
    const router = createFlowRouter({ route: routeFlowsInWorker, onRoutes: setPicture });
    router.update(
      latest.current.boxes,
      latest.current.flows.map((flow) => ({ from: flow.from, to: flow.to })),
    );
    return () => router.destroy();
  }, [routeWhen]);

  return useMemo(
    () => ({
      routes: usableRoutes(picture, shown),
      current:
        picture !== null &&
        picture.boxes.size === shown.length &&
        shown.every((box) => {
          const routed = picture.boxes.get(box.id);
          return routed?.x === box.x && routed.y === box.y;
        }),
    }),
    [picture, shown],
  );
}
