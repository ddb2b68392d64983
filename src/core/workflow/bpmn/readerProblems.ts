/**
 * What the XML reader under the import reports, in the import's words, and how a file's text is
 * prepared for it: ids that are not XML names repaired, references written as qualified names
 * resolved, warnings grouped by kind, a parse failure placed by line and column, and the branch
 * chances of a simulator's settings (BIMP) read beside the model. Messages name elements by id
 * and type, never text of the file.
 */

import { BPMN_MODEL_NS, type El } from './model.ts';
import type { BpmnProblem } from './types.ts';

/**
 * One warning per kind of element the reader does not know, not one per element: a tool that
 * writes its own drawing inside the process (MID Innovator's `<geometry>` and `<waypoint>` on
 * every step and flow) would otherwise give the analyst dozens of identical lines. The warning
 * keeps the place of the first one and says how many there are.
 */
export function groupUnrecognized(problems: BpmnProblem[]): BpmnProblem[] {
  const unrecognized = (problem: BpmnProblem) =>
    problem.code === 'unreadable-element'
      ? /\(unrecognized element <([^>]+)>\)$/.exec(problem.message)?.[1]
      : undefined;
  const counts = new Map<string, number>();
  for (const problem of problems) {
    const name = unrecognized(problem);
    if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const seen = new Set<string>();
  const grouped: BpmnProblem[] = [];
  for (const problem of problems) {
    const name = unrecognized(problem);
    const count = name ? (counts.get(name) ?? 0) : 0;
    if (!name || count < 2) {
      grouped.push(problem);
      continue;
    }
    if (seen.has(name)) continue;
    seen.add(name);
    grouped.push({
      severity: 'warning',
      code: 'unreadable-element',
      message: `${count} <${name}> elements${where(problem)} and after are not BPMN 2.0 and are left out (another tool's own data, such as its own way of storing the drawing)`,
      ...(problem.line !== undefined ? { line: problem.line } : {}),
      ...(problem.column !== undefined ? { column: problem.column } : {}),
    });
  }
  return grouped;
}

/** Namespace of the simulation settings BIMP (the QBP simulator) reads and Signavio and Apromore write. */
const QBP_NS = 'http://www.qbp-simulator.com/Schema201212';

/**
 * The branch chances of a file's BIMP simulation settings (`<qbp:processSimulationInfo>`, beside
 * the process in Signavio's and Apromore's exports): each `<qbp:sequenceFlow elementId=…
 * executionProbability=…>` is the chance of that sequence flow. bpmn-moddle does not know the
 * element, so it is read from the text. Values outside 0–1 are left out.
 */
export function simulatorChances(text: string): Map<string, number> {
  const chances = new Map<string, number>();
  for (const block of text.matchAll(
    /<([\w.-]+:)?processSimulationInfo\b([^>]*)>([\s\S]*?)<\/\1processSimulationInfo>/g,
  )) {
    const prefix = (block[1] ?? '').replace(/:$/, '');
    const binding = new RegExp(`xmlns${prefix ? `:${prefix}` : ''}\\s*=\\s*["']([^"']*)["']`);
    if ((binding.exec(block[2] ?? '') ?? binding.exec(text))?.[1] !== QBP_NS) continue;
    for (const flow of (block[3] ?? '').matchAll(
      new RegExp(`<${block[1] ?? ''}sequenceFlow\\b([^>]*)>`, 'g'),
    )) {
      const attrs = flow[1] ?? '';
      const id = /\belementId\s*=\s*"([^"]*)"/.exec(attrs)?.[1];
      const chance = Number(/\bexecutionProbability\s*=\s*"([^"]*)"/.exec(attrs)?.[1]);
      if (id && Number.isFinite(chance) && chance >= 0 && chance <= 1) chances.set(id, chance);
    }
  }
  return chances;
}

/** What bpmn-moddle accepts as an id (an XML name, optionally with a prefix). */
const VALID_ID = /^([a-z][\w.-]*:)?[a-z_][\w.-]*$/i;

/**
 * Element ids that are not XML names ("eventdef-2 hours" in Bonita, "1a2b…" in Signavio's
 * documentation) make bpmn-moddle drop the whole element, so a boundary timer loses its timer.
 * Each is replaced by the nearest XML name (spaces and other characters → `_`, a leading `_`
 * before a digit), unique in the file, in the `id` and wherever the file refers to it (an
 * attribute other than a name, or the text of a reference element); one warning says so.
 */
export function repairIds(text: string): { text: string; problem?: BpmnProblem } {
  // only BPMN's own elements (model and diagram): other tools' extensions keep their own ids
  const omg = new Set<string>();
  for (const m of text.matchAll(/xmlns(?::([\w.-]+))?\s*=\s*["'](http:\/\/www\.omg\.org\/spec\/[^"']*)["']/g))
    omg.add(m[1] ?? '');
  const ID = /<(?:([\w.-]+):)?[\w.-]+\b[^>]*?\sid\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
  const all = [...text.matchAll(ID)].map((m) => ({
    prefix: m[1] ?? '',
    id: m[2] ?? m[3] ?? '',
    index: m.index ?? 0,
  }));
  const taken = new Set(all.map((m) => m.id));
  const declared = all.filter((m) => omg.has(m.prefix));
  const renamed = new Map<string, string>();
  let first: { id: string; index: number } | undefined;
  for (const match of declared) {
    const id = match.id;
    if (id === '' || VALID_ID.test(id) || renamed.has(id)) continue;
    let base = id.trim().replace(/[^\w.-]/g, '_');
    if (!/^[a-z_]/i.test(base)) base = `_${base}`;
    let next = base;
    for (let n = 2; taken.has(next); n++) next = `${base}-${n}`;
    taken.add(next);
    renamed.set(id, next);
    first ??= { id, index: match.index };
  }
  if (!first) return { text };
  const literal = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  let out = text;
  for (const [id, next] of renamed) {
    const value = literal(id);
    out = out
      .replace(
        new RegExp(`(\\s(?!name\\s*=)[\\w.:-]+\\s*=\\s*)(["'])${value}\\2`, 'g'),
        (_, head: string, quote: string) => `${head}${quote}${next}${quote}`,
      )
      .replace(new RegExp(`>(\\s*)${value}(\\s*)</`, 'g'), (_, a: string, b: string) => `>${a}${next}${b}</`);
  }
  const line = text.slice(0, first.index).split('\n').length;
  const count = renamed.size;
  return {
    text: out,
    problem: {
      severity: 'warning',
      code: 'invalid-id',
      message: `${count === 1 ? 'an element id is' : `${count} element ids are`} not a valid XML name (the first, "${first.id}", at line ${line}): read as "${renamed.get(first.id)}"${count === 1 ? '' : ' and so on'}, so the element is kept; the export writes the repaired id`,
      elementId: renamed.get(first.id) as string,
      line,
    },
  };
}

/** One warning of bpmn-moddle's reader. */
export interface ReaderWarning {
  message: string;
  element?: unknown;
  property?: string;
  value?: unknown;
}

/** References to a data type (an item definition, or a type of another namespace). */
const TYPE_REFERENCES = new Set(['evaluatesToTypeRef', 'structureRef', 'itemSubjectRef', 'typeRef']);

/**
 * Resolves the references written as qualified names and returns the reader's other warnings.
 * BPMN types a reference as an XML qualified name, so a tool may write
 * `attachedToRef="Process:Task_1"` where the prefix `Process` is bound to the file's own
 * targetNamespace (IBM Process Designer does): that names this file's `Task_1`. bpmn-moddle reads
 * the whole text as an id and leaves the reference out, which would detach a boundary event from
 * its task. A prefix bound to another namespace (another file's element) stays unresolved.
 */
export function resolveQualifiedReferences(
  definitions: El,
  byId: Record<string, El>,
  warnings: ReaderWarning[],
): ReaderWarning[] {
  const ownNamespace = (definitions as { targetNamespace?: unknown }).targetNamespace;
  return warnings.filter((warning) => {
    if (!/^unresolved reference </.test(warning.message)) return true;
    // a data type of another namespace (`java:java.lang.Boolean`, `xsd:string`): Preflight keeps
    // no data types, so there is nothing to resolve it to nor to lose
    const typed = String(warning.value ?? '').match(/^([\w.-]+):/)?.[1];
    if (
      typed &&
      TYPE_REFERENCES.has((warning.property ?? '').replace(/^bpmn:/, '')) &&
      definitions.$attrs?.[`xmlns:${typed}`] !== ownNamespace
    )
      return false;
    const element = warning.element as
      | (El & { get?: (name: string) => unknown; set?: (name: string, value: unknown) => void })
      | undefined;
    const value = typeof warning.value === 'string' ? warning.value : '';
    const colon = value.indexOf(':');
    if (!element?.get || !element.set || !warning.property || colon <= 0) return true;
    const namespace = definitions.$attrs?.[`xmlns:${value.slice(0, colon)}`];
    const target = byId[value.slice(colon + 1)];
    if (typeof ownNamespace !== 'string' || namespace !== ownNamespace || !target) return true;
    const current = element.get(warning.property);
    if (Array.isArray(current)) current.push(target);
    else element.set(warning.property, target);
    return false;
  });
}

/** The reader's position in a message "… line: 3\n\tcolumn: 7 …" (0-based) as 1-based numbers. */
function positionIn(message: string): { line?: number; column?: number } {
  const line = /line: (\d+)/.exec(message);
  const column = /column: (\d+)/.exec(message);
  return {
    ...(line ? { line: Number(line[1]) + 1 } : {}),
    ...(column ? { column: Number(column[1]) + 1 } : {}),
  };
}

/** The reader's own words for what went wrong (never the file's content). */
function nestedReason(message: string): string | undefined {
  return /nested error: ([^\n]*)/.exec(message)?.[1]?.trim();
}

export function where(position: { line?: number; column?: number }): string {
  if (position.line === undefined) return '';
  return position.column === undefined
    ? ` at line ${position.line}`
    : ` at line ${position.line}, column ${position.column}`;
}

/** The name of the first element of an XML text (after the declaration, comments, doctype). */
function rootElementName(text: string): string | undefined {
  const body = text.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>/g, '');
  return /<([A-Za-z_][\w.:-]*)/.exec(body)?.[1];
}

export function parseFailure(error: unknown, text: string): BpmnProblem[] {
  const message = error instanceof Error ? error.message : '';
  const warnings = ((error as { warnings?: { message: string }[] } | null)?.warnings ?? []).map(
    warningProblem,
  );
  if (message.startsWith('failed to parse document as')) {
    const root = rootElementName(text);
    const isDefinitions = root !== undefined && /(^|:)definitions$/.test(root);
    return [
      {
        severity: 'error',
        code: 'not-bpmn',
        message: isDefinitions
          ? `the file is XML but not BPMN 2.0: its <${root}> element is not in the BPMN 2.0 namespace ${BPMN_MODEL_NS}; export it from the modelling tool as BPMN 2.0 XML`
          : `the file is XML but not BPMN 2.0: its root element is <${root ?? '?'}>, not <definitions> of BPMN 2.0; export it from the modelling tool as BPMN 2.0 XML`,
      },
      ...warnings.filter((w) => w.code !== 'unreadable-element' || w.line === undefined || w.line > 1),
    ];
  }
  const position = positionIn(message);
  const reason = nestedReason(message);
  return [
    {
      severity: 'error',
      code: 'not-xml',
      message: `the file is not well-formed XML${where(position)}${reason ? ` (${reason})` : ''}; it cannot be read as BPMN`,
      ...position,
    },
  ];
}

export function warningProblem(warning: ReaderWarning): BpmnProblem {
  const element = warning.element as El | undefined;
  const unresolved = /^unresolved reference <([^>]*)>/.exec(warning.message);
  if (unresolved) {
    const owner = element?.id ? `element "${element.id}" (${element.$type})` : 'an element';
    const property = warning.property ? ` in its ${warning.property.replace(/^bpmn:/, '')}` : '';
    return {
      severity: 'warning',
      code: 'unresolved-reference',
      message: `${owner} refers${property} to "${unresolved[1]}", which the file does not define; that reference is left out`,
      ...(element?.id ? { elementId: element.id } : {}),
    };
  }
  const position = positionIn(warning.message);
  const reason = nestedReason(warning.message) ?? warning.message.split('\n')[0];
  return {
    severity: 'warning',
    code: 'unreadable-element',
    message: `an element${where(position)} could not be read and is left out (${reason})`,
    ...position,
    ...(element?.id ? { elementId: element.id } : {}),
  };
}
