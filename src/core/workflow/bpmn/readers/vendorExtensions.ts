/**
 * Other tools' extensions: one entry of what is not carried over per namespace prefix of another
 * tool (a Camunda assignee the import kept is not counted), colours given to shapes and flows
 * listed apart.
 */

import { accountName } from '../account.ts';
import type { El } from '../model.ts';
import type { BpmnReader, ImportContext } from './context.ts';

/** Namespace prefixes whose attributes are XML plumbing, not another tool's data. */
const PLUMBING_PREFIXES = new Set(['xmlns', 'xsi', 'xml']);

/** Packages bpmn-moddle itself understands: not vendor extensions. */
const KNOWN_PACKAGES = new Set(['bpmn', 'bpmndi', 'di', 'dc', 'bioc', 'color', 'preflight']);

/** Prefixes of the colours modellers give shapes (bpmn.io's and the OMG's non-normative one). */
const COLOUR_PREFIXES = new Set(['bioc', 'color']);

/** Other tools' extension elements and attributes, and colours, counted per prefix. */
export const vendorExtensionReader: BpmnReader = {
  id: 'other-tools',
  reads: ['bpmn:extensionElements'],
  describe: 'other tools’ extensions and colours: not carried over, counted per namespace prefix',
  read: listVendorExtensions,
};

/** One entry per vendor namespace prefix: other tools' extension elements and attributes. */
function listVendorExtensions(ctx: ImportContext): void {
  const seen = new Map<string, { count: number; elementId: string }>();
  const count = (prefix: string, owner: El): void => {
    const entry = seen.get(prefix);
    if (entry) entry.count++;
    else seen.set(prefix, { count: 1, elementId: owner.id ?? ctx.definitions.id ?? '?' });
  };
  const elements = [ctx.definitions, ...Object.values(ctx.byId)];
  // colours of the drawing's shapes and edges (bpmn-moddle reads both packages as properties)
  for (const diagram of ctx.definitions.diagrams ?? []) {
    for (const drawn of (diagram.plane?.planeElement ?? []) as (El & Record<string, unknown>)[]) {
      const owner = drawn.bpmnElement ?? drawn;
      if (drawn.stroke !== undefined || drawn.fill !== undefined) count('bioc', owner);
      const label = drawn.label as Record<string, unknown> | undefined;
      if (drawn['background-color'] !== undefined || drawn['border-color'] !== undefined || label?.color)
        count('color', owner);
    }
  }
  // what the import kept of another tool (a Camunda assignee) is not listed as lost
  const used = new Set(ctx.account.finish().used);
  const kept = (name: string) => used.has(name);
  for (const element of elements) {
    for (const key of Object.keys(element.$attrs ?? {})) {
      const prefix = key.includes(':') ? key.slice(0, key.indexOf(':')) : '';
      const name = `${ctx.tagOf(element)}@${accountName(ctx.uriOf(prefix), prefix, key.slice(prefix.length + 1))}`;
      if (prefix && !PLUMBING_PREFIXES.has(prefix) && !KNOWN_PACKAGES.has(prefix) && !kept(name))
        count(prefix, element);
    }
    for (const value of element.extensionElements?.values ?? []) {
      const prefix = value.$type.includes(':') ? value.$type.slice(0, value.$type.indexOf(':')) : '';
      if (!KNOWN_PACKAGES.has(prefix) && !kept(`bpmn:extensionElements/${ctx.tagOf(value)}`))
        count(prefix || '(none)', element);
    }
  }
  for (const [prefix, { count: n, elementId }] of seen) {
    if (COLOUR_PREFIXES.has(prefix)) {
      ctx.notCarried.push({
        elementId,
        elementType: `xmlns:${prefix}`,
        what: `${n} colour${n === 1 ? '' : 's'} given to shapes or flows (namespace prefix "${prefix}")`,
        why: 'Preflight draws steps in its own colours; colours set in another tool are not kept',
      });
      continue;
    }
    ctx.notCarried.push({
      elementId,
      elementType: `xmlns:${prefix}`,
      what: `${n} extension element${n === 1 ? '' : 's'} or attribute${n === 1 ? '' : 's'} of another tool (namespace prefix "${prefix}")`,
      why: 'Preflight reads only its own extension (preflight:); other tools’ settings are not kept',
    });
  }
}
