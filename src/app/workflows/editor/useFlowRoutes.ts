/**
 * The canvas's flow routes (flowRoutes.ts): owns one router, sends it every new picture of the
 * steps and flows, and gives the routes that fit the picture shown (dragged steps included).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { routeFlowsInWorker } from '../../../../workers/layoutClient.ts';
import type { RoutePoint, StepBox } from '../../../core/workflow/routing.ts';
import type { Flow } from '../../../formats/workflow.ts';
import { createFlowRouter, type FlowRouter, type RoutedPicture, usableRoutes } from './flowRoutes.ts';

/**
 * Routes for `flows` around `boxes` (the stored picture), as usable for `shown` (the picture on
 * screen: `boxes` with any step being dragged at its drag position).
 */
export function useFlowRoutes(
  boxes: StepBox[],
  flows: readonly Flow[],
  shown: StepBox[],
): ReadonlyMap<string, RoutePoint[]> {
  const [picture, setPicture] = useState<RoutedPicture | null>(null);
  const routerRef = useRef<FlowRouter | null>(null);

  useEffect(() => {
    const router = createFlowRouter({ route: routeFlowsInWorker, onRoutes: setPicture });
    routerRef.current = router;
    return () => {
      router.destroy();
      routerRef.current = null;
    };
  }, []);

  useEffect(() => {
    routerRef.current?.update(
      boxes,
      flows.map((flow) => ({ from: flow.from, to: flow.to })),
    );
  }, [boxes, flows]);

  return useMemo(() => usableRoutes(picture, shown), [picture, shown]);
}
