/**
 * Data objects and stores: a reference per drawing (see documentDrawings), in the process (or
 * sub-process) of the first step linked to it; a drawing drawn again on a page above its own
 * (`seconds`) has a second reference there, marked `preflight:dataReference`. A document's
 * references share one data object (kept in the innermost container that holds them all, which
 * each can see) or one data store (written when it is drawn more than once).
 */

import type { DataObject } from '../../../../formats/workflow.ts';
import { type BpmnWriter, type ExportContext, extension, into, type ModdleElement } from './context.ts';
import { dataBounds, onPage, shape } from './diagramParts.ts';
import { isProcessData } from './processData.ts';

const atPage = (page: string | undefined) => (page !== undefined ? { page } : {});

/** The pool of the first step that writes or reads a document. */
function groupOfData(ctx: ExportContext, data: DataObject): number {
  const user = [...(data.writtenBy ?? []), ...(data.readBy ?? [])][0];
  return user !== undefined ? ctx.pages.groupOfStep(user) : 0;
}

/** Every document's references, data objects and stores (see the file comment). */
export const dataObjectWriter: BpmnWriter = {
  id: 'data-objects',
  writes: ['bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStore', 'bpmn:DataStoreReference'],
  describe: 'each document as a data object or store reference per drawing, with second references',
  write(ctx) {
    const { moddle, pages, seconds, stepElements } = ctx;
    const documents = new Map<string, { document: DataObject; drawings: DataObject[] }>();
    for (const { data, document } of ctx.drawn) {
      if (isProcessData(document)) continue;
      const entry = documents.get(document.id) ?? { document, drawings: [] };
      entry.drawings.push(data);
      documents.set(document.id, entry);
    }
    const place = (element: ModdleElement, group: number, page: string | undefined) =>
      into(ctx, page, group, element);
    for (const { document, drawings } of documents.values()) {
      const again = [...seconds.values()].filter((second) =>
        drawings.some((data) => data.id === second.data),
      );
      const pagesOf = [...drawings.map(pages.dataPageOf), ...again.map((second) => second.page)];
      let source: { dataObjectRef: ModdleElement } | { dataStoreRef: ModdleElement } | undefined;
      if (document.kind === 'store') {
        if (drawings.length + again.length > 1) {
          const store = moddle.create('bpmn:DataStore', {
            id: ctx.allocate(`${document.id}_store`),
            name: document.label,
          });
          ctx.dataStores.push(store);
          source = { dataStoreRef: store };
        }
      } else {
        const object = moddle.create('bpmn:DataObject', { id: ctx.allocate(`${document.id}_object`) });
        // the innermost page above every reference's own (a reference sees its own container's
        // data objects and those of the containers around it)
        const common = pages
          .pagesUp(pagesOf[0])
          .find((candidate) => pagesOf.every((page) => pages.pagesUp(page).includes(candidate)));
        const group =
          common !== undefined ? pages.groupOfStep(common) : groupOfData(ctx, drawings[0] ?? document);
        place(object, group, common);
        source = { dataObjectRef: object };
      }
      const type = document.kind === 'store' ? 'bpmn:DataStoreReference' : 'bpmn:DataObjectReference';
      for (const data of drawings) {
        const id = ctx.allocate(data.id);
        const page = pages.dataPageOf(data);
        const element = moddle.create(type, { id, name: data.label, ...source });
        ctx.dataElements.set(data.id, { element, data, ...atPage(page) });
        place(element, groupOfData(ctx, data), page);
        for (const second of again.filter((second) => second.data === data.id)) {
          const copy = moddle.create(type, {
            id: ctx.allocate(`${id}_at_${stepElements.get(second.beside)?.element.id ?? second.beside}`),
            name: data.label,
            ...source,
            extensionElements: extension(ctx, moddle.create('preflight:DataReference', { of: id })),
          });
          ctx.secondElements.set(second.key, copy);
          place(copy, pages.groupOfStep(second.beside), second.page);
        }
      }
    }
  },
};

/** Each document's shapes: its second references first, then its own drawings. */
export const dataShapeWriter: BpmnWriter = {
  id: 'data-shapes',
  writes: ['bpmndi:BPMNShape'],
  describe: 'each data object or store reference drawn where the layout put it',
  write(ctx) {
    for (const [key, element] of ctx.secondElements) {
      const second = ctx.seconds.get(key);
      const position = ctx.layout.seconds.get(key);
      if (!second || !position) continue;
      const rect = dataBounds(second, position);
      ctx.secondShapeOf.set(key, rect);
      onPage(ctx, second.page).push(shape(ctx, element, rect));
    }
    for (const { element, data, page } of ctx.dataElements.values()) {
      const position = ctx.layout.data.get(data.id);
      if (!position) continue;
      const rect = dataBounds(data, position);
      ctx.dataShapeOf.set(data.id, rect);
      onPage(ctx, page).push(shape(ctx, element, rect));
    }
  },
};
