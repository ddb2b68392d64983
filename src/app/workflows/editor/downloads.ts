/** The editor's downloads: the workflow as JSON or BPMN, the diagram as SVG or PNG (browser only). */
import { exportBpmnInWorker } from '../../../../workers/bpmnClient.ts';
import type { Workflow } from '../../../formats/workflow.ts';
import { downloadText } from '../../common/download.ts';
import type { CanvasLayout, HeatMode } from './canvasModel.ts';
import { diagramRoutes } from './diagramRoutes.ts';
import { type DiagramRoutes, diagramSvg, exportFileName } from './exportDiagram.ts';
import type { FindingMarks } from './findingMarks.ts';
import { ROUTE_ON_OPEN_MAX_STEPS } from './flowRoutes.ts';

/** What the editor downloads. */
export type EditorDownload = 'json' | 'svg' | 'png' | 'bpmn';

/**
 * Downloads `workflow` as `what`; the pictures draw it as laid out, with the heat and finding
 * marks shown, and its flows along the routes the canvas draws, routed now whatever the workflow's
 * size (diagramRoutes.ts: the user waits for a download anyway; on 1,000 steps this takes seconds).
 * What went wrong (or, for BPMN made in a worker, that it is done) goes to `say`.
 */
export function downloadWorkflow(
  what: EditorDownload,
  view: { workflow: Workflow; layout: CanvasLayout; heat: HeatMode; marks: FindingMarks | undefined },
  say: (message: string) => void,
): void {
  const { workflow, layout, heat, marks } = view;
  if (what === 'json') {
    downloadText(exportFileName(workflow, 'workflow.json'), `${JSON.stringify(workflow, null, 2)}\n`);
  } else if (what === 'svg' || what === 'png') {
    if (workflow.steps.length > ROUTE_ON_OPEN_MAX_STEPS)
      say('Drawing the flows around the steps for the picture. It downloads when this is done.');
    void routedSvg(workflow, layout, heat, marks).then((svg) => {
      if (what === 'svg') {
        downloadText(exportFileName(workflow, 'svg'), svg, 'image/svg+xml');
        return;
      }
      svgToPng(svg).then(
        (blob) => downloadBlob(exportFileName(workflow, 'png'), blob),
        () => say('The picture could not be made in this browser. The SVG export has the same diagram.'),
      );
    });
  } else {
    exportBpmnInWorker(workflow).then(
      (xml) => {
        downloadText(exportFileName(workflow, 'bpmn'), xml, 'application/xml');
        say('Downloaded the workflow as BPMN 2.0, for other process tools.');
      },
      () => say('The BPMN file could not be made. Nothing was downloaded; try again.'),
    );
  }
}

/**
 * The diagram's SVG with its flows routed; when routing fails (a stopped worker) the flows are
 * drawn plainly and the file's description says so.
 */
async function routedSvg(
  workflow: Workflow,
  layout: CanvasLayout,
  heat: HeatMode,
  marks: FindingMarks | undefined,
): Promise<string> {
  let routes: DiagramRoutes | undefined;
  try {
    routes = await diagramRoutes(workflow, layout);
  } catch {
    routes = undefined;
  }
  return diagramSvg(workflow, layout, heat, marks, routes);
}

/** Rasterises SVG text to a PNG blob through an <img> of a blob: URL (allowed by img-src). */
async function svgToPng(svg: string): Promise<Blob> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    // 2× for sharp text, capped so a very large workflow stays within canvas limits
    const scale = Math.min(2, 16_000 / Math.max(image.naturalWidth, image.naturalHeight, 1));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(image.naturalWidth * scale));
    canvas.height = Math.max(1, Math.round(image.naturalHeight * scale));
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d context');
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('no PNG'))), 'image/png'),
    );
  } finally {
    URL.revokeObjectURL(url);
  }
}

function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
