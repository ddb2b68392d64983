/**
 * The ELK layout of workflows and process maps, and the routing of flows around steps
 * (docs/conventions.md#module-surfaces). The only part of `src/core/workflow` that loads ELK
 * (1.4 MB; in a worker it installs a message handler of its own), so it has its own surface: the
 * layout and BPMN workers import it, the page only its types. Outside `src/core/workflow`, import
 * the layout only through this file.
 */
export { type LayoutOptions, layoutWorkflow, prepareLayoutEngine, type WorkflowLayout } from './layout.ts';
export { layoutProcessMap, type MapEdgeInput, type MapLayout, type MapNodeInput } from './mapLayout.ts';
export { type FlowEnds, type FlowRoutes, routeFlows, type StepBox } from './routing.ts';
