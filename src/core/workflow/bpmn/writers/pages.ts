/**
 * Pages of an exported diagram: the process's page (`undefined`) and one per sub-process, drawn
 * collapsed on the page above. A renderer draws an edge only between shapes of one page, so the
 * writers ask here what stands for a step or a document on a page.
 */

import type { DataObject, Step } from '../../../../formats/workflow.ts';
import type { BpmnStructure } from '../structure.ts';

/** Questions about pages (see the file comment). */
export interface PageIndex {
  /** A page and the pages above it, innermost first (`undefined`, the process's page, last). */
  pagesUp(page: string | undefined): (string | undefined)[];
  /**
   * What stands for something on `page` (a page at or above its own): itself on its own page,
   * else the collapsed sub-process drawn on `page` that holds it.
   */
  shownOn(own: string | undefined, page: string | undefined): string | undefined;
  /** The innermost page that shows both a document (on `dataPage`) and a step. */
  innermostCommonPage(dataPage: string | undefined, step: string): string | undefined;
  /** The page a document is drawn on: the sub-process it is within, or the process's. */
  dataPageOf(data: DataObject): string | undefined;
  /** The key of a document's second drawing on a page. */
  secondKey(data: string, page: string | undefined): string;
  /** The page a step is drawn on. */
  pageOfStep(id: string | undefined): string | undefined;
  /**
   * The step that stands for `id` on the collaboration's page: itself, or the outermost
   * (collapsed) sub-process that holds it.
   */
  onMainPage(id: string): string;
  /** The pool (index into the pool groups) a step's lane is in. */
  groupOfStep(id: string): number;
}

/** The page questions of one workflow's nesting. */
export function pageIndex(
  structure: BpmnStructure,
  stepsById: ReadonlyMap<string, Step>,
  groupOfLane: ReadonlyMap<string, number>,
): PageIndex {
  const pagesUp = (page: string | undefined): (string | undefined)[] => {
    const chain: (string | undefined)[] = [page];
    for (let cursor = page, depth = 0; cursor !== undefined && depth < 1_000; depth++) {
      cursor = structure.parentOf.get(cursor);
      chain.push(cursor);
    }
    return chain;
  };
  return {
    pagesUp,
    shownOn(own, page) {
      let cursor = own;
      for (let depth = 0; cursor !== undefined && depth < 1_000; depth++) {
        const parent = structure.parentOf.get(cursor);
        if (parent === page) return cursor;
        cursor = parent;
      }
      return undefined;
    },
    innermostCommonPage(dataPage, step) {
      const stepPages = pagesUp(structure.parentOf.get(step));
      return pagesUp(dataPage).find((candidate) => stepPages.includes(candidate));
    },
    dataPageOf(data) {
      return data.within !== undefined && structure.containers.has(data.within) ? data.within : undefined;
    },
    secondKey(data, page) {
      return `${data}\u0000${page ?? ''}`;
    },
    pageOfStep(id) {
      return id !== undefined ? structure.parentOf.get(id) : undefined;
    },
    onMainPage(id) {
      let cursor = id;
      for (let depth = 0; depth < 1_000; depth++) {
        const parent = structure.parentOf.get(cursor);
        if (parent === undefined) break;
        cursor = parent;
      }
      return cursor;
    },
    groupOfStep(id) {
      return groupOfLane.get(stepsById.get(id)?.lane ?? '') ?? 0;
    },
  };
}
