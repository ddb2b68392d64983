/**
 * The BPMN reader's account (see src/core/readerAccount): every element path and attribute of the
 * file, each either used by the import or listed with what leaving it out does to the workflow.
 *
 * Names: an element is `parent/child` by its qualified tag (`bpmn:timerEventDefinition/bpmn:timeDuration`),
 * an attribute `element@attribute` (`bpmn:userTask@camunda:assignee`). Prefixes are the usual
 * ones for the namespaces below, whatever the file calls them (Signavio writes BPMN without a
 * prefix, Trisotech as `semantic:`), so one name means one thing across files; another
 * namespace keeps the file's prefix, and a name in no namespace has none. Namespace
 * declarations (`xmlns`, `xmlns:…`) are not attributes of the model and are not listed.
 *
 * How the account is made: the import marks what it reads where reading it depends on the
 * content (a timer turned into minutes or not, a performer kept); the elements it always reads are
 * those its readers say they read (readers/index.ts, passed in), the attributes {@link USED_ATTRIBUTES}; what it leaves out on
 * purpose is listed by the import with its reason (`notCarriedOver`, the same lines). The walk
 * here then lists everything else the file holds, with a count and where it is first seen, as not
 * used with the effect its kind has. Values are never read into the account: names only.
 */
import { SaxesParser } from 'saxes';
import {
  type AccountBuilder,
  type AccountLine,
  type AccountWhere,
  createAccount,
  type ReaderAccount,
} from '../../readerAccount/index.ts';
import { type El, PREFLIGHT_BPMN_NS } from './model.ts';

/** The prefix each known namespace is named by in the account, whatever the file's prefix. */
export const ACCOUNT_PREFIXES: Readonly<Record<string, string>> = {
  'http://www.omg.org/spec/BPMN/20100524/MODEL': 'bpmn',
  'http://www.omg.org/spec/BPMN/20100524/DI': 'bpmndi',
  'http://www.omg.org/spec/DD/20100524/DC': 'dc',
  'http://www.omg.org/spec/DD/20100524/DI': 'di',
  'http://www.w3.org/2001/XMLSchema-instance': 'xsi',
  [PREFLIGHT_BPMN_NS]: 'preflight',
  'http://camunda.org/schema/1.0/bpmn': 'camunda',
  'http://camunda.org/schema/zeebe/1.0': 'zeebe',
  'http://camunda.org/schema/modeler/1.0': 'modeler',
  'http://bpmn.io/schema/bpmn/biocolor/1.0': 'bioc',
  'http://www.omg.org/spec/BPMN/non-normative/color/1.0': 'color',
  'http://www.qbp-simulator.com/Schema201212': 'qbp',
  'http://www.w3.org/XML/1998/namespace': 'xml',
};

/**
 * The account name of a tag or attribute: its namespace's usual prefix, else the file's prefix
 * (also for a prefix the file never declares, which the reader reads around); no prefix, none.
 */
export function accountName(uri: string | undefined, filePrefix: string, local: string): string {
  const prefix = (uri ? ACCOUNT_PREFIXES[uri] : undefined) ?? filePrefix;
  return prefix ? `${prefix}:${local}` : local;
}

/** How the account names the elements of one file read by bpmn-moddle. */
export interface FileNames {
  /** the namespace URI a prefix of the file stands for (its `xmlns:` declarations) */
  uriOf(prefix: string): string | undefined;
  /** an element's tag: `bpmn:userTask`, `bpmndi:BPMNShape`, `zeebe:taskDefinition` */
  tagOf(element: El): string;
  /** an element's path: `bpmn:process/bpmn:dataObject` */
  pathOf(element: El): string;
}

/** The names of the elements of the file whose definitions and elements by id are given. */
export function fileNames(definitions: El, byId: Record<string, El>): FileNames {
  let uris: Map<string, string> | undefined;
  const uriOf = (prefix: string): string | undefined => {
    if (!uris) {
      uris = new Map();
      for (const element of [definitions, ...Object.values(byId)]) {
        for (const [key, value] of Object.entries(element.$attrs ?? {}))
          if (key.startsWith('xmlns:') && !uris.has(key.slice(6))) uris.set(key.slice(6), value);
      }
    }
    return uris.get(prefix);
  };
  const tagOf = (element: El): string => {
    const colon = element.$type.indexOf(':');
    const prefix = colon < 0 ? '' : element.$type.slice(0, colon);
    const local = element.$type.slice(colon + 1);
    // moddle's own packages: BPMN's types are its tags with a capital; the others are as written
    if (prefix === 'bpmn') return `bpmn:${local.charAt(0).toLowerCase()}${local.slice(1)}`;
    if (prefix === 'bpmndi' || prefix === 'dc' || prefix === 'di' || prefix === 'preflight')
      return element.$type;
    return accountName(uriOf(prefix), prefix, local);
  };
  const pathOf = (element: El): string =>
    element.$parent ? `${tagOf(element.$parent)}/${tagOf(element)}` : tagOf(element);
  return { uriOf, tagOf, pathOf };
}

/** The flow nodes, by tag: each is read as a step (readers/flowNodes.ts). */
export const FLOW_NODES: readonly string[] = [
  'task',
  'userTask',
  'manualTask',
  'serviceTask',
  'sendTask',
  'receiveTask',
  'scriptTask',
  'businessRuleTask',
  'callActivity',
  'subProcess',
  'transaction',
  'adHocSubProcess',
  'startEvent',
  'endEvent',
  'intermediateCatchEvent',
  'intermediateThrowEvent',
  'boundaryEvent',
  'exclusiveGateway',
  'parallelGateway',
  'inclusiveGateway',
  'eventBasedGateway',
  'complexGateway',
].map((local) => `bpmn:${local}`);

/** Event definitions: each is the trigger of its event (`Step.boundary.trigger`, `Step.bpmn.trigger`). */
export const EVENT_DEFINITIONS: readonly string[] = [
  'timerEventDefinition',
  'messageEventDefinition',
  'errorEventDefinition',
  'escalationEventDefinition',
  'signalEventDefinition',
  'conditionalEventDefinition',
  'compensateEventDefinition',
  'cancelEventDefinition',
  'linkEventDefinition',
  'terminateEventDefinition',
].map((local) => `bpmn:${local}`);

/** Element paths the import reads only under a given parent. */
const USED_PATHS: ReadonlySet<string> = new Set([
  ...FLOW_NODES.map((node) => `${node}/bpmn:documentation`),
  'bpmn:sequenceFlow/bpmn:conditionExpression',
  'bpmn:process/bpmn:ioSpecification',
  'bpmndi:BPMNShape/dc:Bounds',
]);

/** Attributes the import always reads: `tag@attribute`, or `*@attribute` for any BPMN element. */
export const USED_ATTRIBUTES: ReadonlySet<string> = new Set([
  '*@id',
  '*@name',
  '*@sourceRef',
  '*@targetRef',
  '*@isForCompensation',
  '*@xsi:type',
  'bpmn:definitions@exporter',
  // resolves references written as qualified names (IBM Process Designer)
  'bpmn:definitions@targetNamespace',
  'bpmn:boundaryEvent@attachedToRef',
  'bpmn:boundaryEvent@cancelActivity',
  'bpmn:startEvent@isInterrupting',
  'bpmn:parallelGateway@gatewayDirection',
  'bpmn:inclusiveGateway@gatewayDirection',
  'bpmn:callActivity@calledElement',
  'bpmn:participant@processRef',
  'bpmn:dataObjectReference@dataObjectRef',
  'bpmn:dataStoreReference@dataStoreRef',
  'bpmn:group@categoryValueRef',
  'bpmn:categoryValue@value',
  'bpmn:linkEventDefinition@target',
  'bpmndi:BPMNShape@bpmnElement',
  'bpmndi:BPMNShape@isHorizontal',
  'bpmndi:BPMNPlane@bpmnElement',
  'dc:Bounds@x',
  'dc:Bounds@y',
  'dc:Bounds@width',
  'dc:Bounds@height',
  ...['triggeredByEvent'].flatMap((attribute) =>
    ['subProcess', 'transaction', 'adHocSubProcess'].map((node) => `bpmn:${node}@${attribute}`),
  ),
  ...FLOW_NODES.filter((node) => !node.endsWith('Gateway')).map((node) => `${node}@default`),
]);

/** What leaving out a BPMN element or attribute of these kinds does, in words for clinic staff. */
const EFFECTS: Readonly<Record<string, string>> = {
  'bpmn:definitions@exporterVersion': 'which version of the tool wrote the file; nothing for the figures',
  'bpmn:definitions@expressionLanguage': 'the language of the engine’s expressions; nothing for the figures',
  'bpmn:definitions@typeLanguage': 'the language of the engine’s data types; nothing for the figures',
  'bpmn:definitions@xsi:schemaLocation': 'where the BPMN schema is; nothing for the figures',
  'bpmn:process@isExecutable':
    'whether a process engine may run the process; Preflight describes the work, so it is not kept',
  'bpmn:exclusiveGateway@default':
    'which branch a decision takes when no condition holds is not marked; each branch is taken by its chance',
  'bpmn:exclusiveGateway@gatewayDirection': 'nothing: a decision splits or joins by its flows',
  'bpmn:eventBasedGateway@gatewayDirection': 'nothing: a decision splits or joins by its flows',
  'bpmn:complexGateway@gatewayDirection': 'nothing: a decision splits or joins by its flows',
  'bpmndi:BPMNShape@isExpanded':
    'whether a sub-process was drawn open; Preflight draws it closed, its steps on a page of their own',
  'bpmndi:BPMNShape@isMarkerVisible': 'a drawing detail; nothing for the figures',
  'bpmn:messageEventDefinition@messageRef':
    'which message the event waits for; the event is kept, not its message',
  'bpmn:signalEventDefinition@signalRef':
    'which signal the event waits for; the event is kept, not its signal',
  'bpmn:errorEventDefinition@errorRef': 'which error the event catches; the event is kept, not the error',
  'bpmn:escalationEventDefinition@escalationRef':
    'which escalation the event catches; the event is kept, not the escalation',
  'bpmn:conditionalEventDefinition/bpmn:condition':
    'the condition the event waits for; the event is kept, its condition is not (give its wait in the editor)',
  'bpmn:process/bpmn:documentation': 'the description of the process; not kept',
  'bpmn:participant/bpmn:documentation': 'the description of the pool; not kept',
  'bpmn:lane/bpmn:documentation': 'the description of the lane; not kept',
  'bpmn:sequenceFlow/bpmn:documentation': 'the description of a flow; not kept',
};

/** Where a name of a kind is first seen and how often. */
interface Seen {
  kind: 'element' | 'attribute';
  count: number;
  where: AccountWhere;
  /** for an attribute: the account name of its element */
  owner?: string;
}

/**
 * Every element path and attribute of `text` with its count and first place, in file order.
 * Names only: no value is read. Undefined when the text is not well-formed (the import says so).
 */
export function seenNames(text: string): Map<string, Seen> | undefined {
  const seen = new Map<string, Seen>();
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: { name: string; id?: string }[] = [];
  const record = (name: string, kind: Seen['kind'], where: AccountWhere, owner?: string) => {
    const entry = seen.get(name);
    if (entry) entry.count++;
    else seen.set(name, { kind, count: 1, where, ...(owner ? { owner } : {}) });
  };
  parser.on('opentag', (tag) => {
    const name = accountName(tag.uri, tag.prefix, tag.local);
    const parent = stack[stack.length - 1];
    const ownId = typeof tag.attributes.id === 'object' ? tag.attributes.id.value : undefined;
    const elementId = ownId ?? [...stack].reverse().find((frame) => frame.id !== undefined)?.id;
    const where: AccountWhere = {
      line: parser.line,
      column: parser.column,
      ...(elementId !== undefined ? { elementId } : {}),
    };
    const path = parent ? `${parent.name}/${name}` : name;
    record(path, 'element', where);
    for (const attribute of Object.values(tag.attributes)) {
      if (typeof attribute !== 'object') continue;
      if (attribute.prefix === 'xmlns' || (attribute.prefix === '' && attribute.local === 'xmlns')) continue;
      record(
        `${name}@${accountName(attribute.uri, attribute.prefix, attribute.local)}`,
        'attribute',
        where,
        name,
      );
    }
    stack.push({ name, ...(ownId !== undefined ? { id: ownId } : {}) });
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  // bpmn-moddle reads around what saxes calls an error (an undeclared prefix: Camunda Modeler
  // has written `xsi:type` without declaring `xsi`); the walk goes on and names it by its prefix
  parser.on('error', () => {});
  try {
    parser.write(text).close();
  } catch {
    return undefined;
  }
  return seen;
}

const isDrawing = (name: string) => /^(bpmndi|dc|di):/.test(name);

function prefixOf(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? '' : name.slice(0, colon);
}

/** Whether the import always reads element path `path`: its readers read the tag (`readElements`). */
function usedElement(path: string, readElements: ReadonlySet<string>): boolean {
  if (USED_PATHS.has(path)) return true;
  const tag = path.slice(path.lastIndexOf('/') + 1);
  return readElements.has(tag) || tag.startsWith('preflight:');
}

/**
 * Whether the import always reads attribute `name` of element `owner`: a named one, any of
 * Preflight's own, or an id, name or reference of a BPMN element the import reads (`usedTags`).
 */
function usedAttribute(owner: string, name: string, usedTags: ReadonlySet<string>): boolean {
  const attribute = name.slice(name.indexOf('@') + 1);
  if (USED_ATTRIBUTES.has(name)) return true;
  if (owner.startsWith('preflight:')) return true;
  const own = prefixOf(owner);
  return (own === 'bpmn' || isDrawing(owner)) && usedTags.has(owner) && USED_ATTRIBUTES.has(`*@${attribute}`);
}

const lastTag = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** What leaving out `name` does, by its kind (see {@link EFFECTS} for the named ones). */
function effectOf(name: string, seen: Seen, notKept: ReadonlySet<string>): string {
  const known = EFFECTS[name];
  if (known) return known;
  const tag = seen.kind === 'attribute' ? name.slice(0, name.indexOf('@')) : lastTag(name);
  const attribute = name.slice(name.indexOf('@') + 1);
  // an attribute without a prefix belongs to its element's namespace
  const subject = seen.kind === 'attribute' ? (attribute.includes(':') ? attribute : tag) : tag;
  const prefix = prefixOf(subject);
  if (prefix === 'bioc' || prefix === 'color')
    return 'a colour set in another tool; Preflight draws in its own colours';
  if (prefix !== '' && prefix !== 'bpmn' && prefix !== 'xsi' && !isDrawing(subject))
    return `a setting of another tool (prefix "${prefix}"); not kept, and export does not write it back`;
  if (seen.kind === 'attribute' && seen.owner !== undefined && notKept.has(seen.owner))
    return `part of ${seen.owner}, which is not kept`;
  if (isDrawing(subject) || isDrawing(tag))
    return 'a detail of the drawing (labels, routes of lines, styles); Preflight draws these itself';
  if (prefix === '') return 'not BPMN 2.0; not read';
  return 'BPMN that Preflight does not read; not in the workflow, and export does not write it back';
}

/**
 * Completes `builder` (what the import used and left out on purpose) with everything else `text`
 * holds: the names the import always reads (the elements its readers read, `readElements`) are
 * used, the rest listed as not used.
 */
export function finishBpmnAccount(
  text: string,
  builder: AccountBuilder,
  readElements: ReadonlySet<string>,
): ReaderAccount {
  const seen = seenNames(text);
  if (!seen) return builder.finish();
  const notKept = new Set<string>();
  const usedTags = new Set([
    ...readElements,
    ...builder
      .finish()
      .used.filter((name) => !name.includes('@'))
      .map(lastTag),
  ]);
  for (const [name, entry] of seen) {
    if (builder.has(name)) continue;
    const used =
      entry.kind === 'element'
        ? usedElement(name, readElements)
        : usedAttribute(entry.owner ?? '', name, usedTags);
    if (used) {
      builder.use(name);
      if (entry.kind === 'element') usedTags.add(lastTag(name));
      continue;
    }
    if (entry.kind === 'element') notKept.add(lastTag(name));
    builder.notUsed(entry.kind, name, effectOf(name, entry, notKept), entry.where, entry.count);
  }
  return builder.finish();
}

/** An empty BPMN account (a file that could not be read). */
export function emptyBpmnAccount(): ReaderAccount {
  return createAccount('bpmn').finish();
}

/** The lines of a BPMN account as the import summary shows them (see {@link accountSections}). */
export interface AccountSections {
  /** used by a stated choice (a repeating timer read as one period) */
  byChoice: AccountLine[];
  /** not used, with an effect on the workflow, its figures or what export writes back */
  notUsed: AccountLine[];
  /** details of the drawing and colours, which Preflight draws itself */
  drawing: AccountLine[];
}

const DRAWING_NAME = /(^|[/@])(bpmndi|dc|di|bioc|color):/;

/**
 * A BPMN account in the three parts the app and the CLI show: what was read by a choice, what
 * was not used, and the drawing's own details (label places, routes of lines, styles, colours),
 * which are many and change nothing Preflight computes, so they are shown last and counted.
 */
export function accountSections(account: ReaderAccount): AccountSections {
  const sections: AccountSections = { byChoice: [], notUsed: [], drawing: [] };
  for (const line of account.lines) {
    if (line.handling === 'interpreted') sections.byChoice.push(line);
    else if (DRAWING_NAME.test(line.name)) sections.drawing.push(line);
    else sections.notUsed.push(line);
  }
  return sections;
}
