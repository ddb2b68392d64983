import { groupByProcess } from '../../core/workflow/index.ts';
import type { Project } from '../../formats/project.ts';
import { PROCESS_TABS, type Route } from '../route.ts';
import { processTitle } from './processHeadline.ts';

/**
 * The name of the place a Workflows route shows, for the tab title (and so for the history menu
 * of Back and Forward): the workflow in the editor, the tab and process of a process page, or the
 * event-log tool; undefined for the list, other workspaces and
 * places the project does not have (their page says so).
 */
export function placeName(route: Route, project: Project | null): string | undefined {
  if (route.workspace !== 'workflows' || !project) return undefined;
  const { place } = route;
  switch (place.page) {
    case 'editor':
      return project.workflows.find((w) => w.id === place.workflow)?.name;
    case 'process':
      return groupByProcess(project.workflows).some(([key]) => key === place.process)
        ? `${PROCESS_TABS.find((t) => t.id === place.tab)?.label} · ${processTitle(place.process)}`
        : undefined;
    case 'document':
      return groupByProcess(project.workflows).some(([key]) => key === place.process)
        ? `Printable document · ${processTitle(place.process)}`
        : undefined;
    case 'logs':
      if (place.tool === 'check') return 'Check after go-live · Event logs';
      if (place.tool === 'model') return 'Check the capacity model · Event logs';
      return "Discover today's workflow · Event logs";
    case 'list':
      return undefined;
  }
}
