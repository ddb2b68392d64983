/**
 * What a step keeps of the element it was imported from beyond its type (`Step.bpmn`), written
 * back on export: a timer event's time as written (`timeDuration`, `timeDate`, `timeCycle`), and
 * an activity's performers (BPMN resource roles, Camunda 7 assignment attributes, Camunda 8
 * `zeebe:assignmentDefinition`), so a model read from Camunda Modeler goes back with them.
 *
 * A BPMN performer is written with its value as its assignment expression: one read from a
 * `resourceRef` comes back as the resource's name in an expression, not as a reference.
 */
import type { Step, StepPerformer } from '../../../../formats/workflow.ts';
import type { ExportContext, ModdleElement } from './context.ts';

/** The namespaces Camunda's assignment settings are written in, by their usual prefix. */
export const VENDOR_NAMESPACES = {
  camunda: 'http://camunda.org/schema/1.0/bpmn',
  zeebe: 'http://camunda.org/schema/zeebe/1.0',
} as const;

const ROLE_TYPES: Readonly<Record<string, string>> = {
  performer: 'bpmn:Performer',
  humanPerformer: 'bpmn:HumanPerformer',
  potentialOwner: 'bpmn:PotentialOwner',
};

const TIME_PROPERTY = { duration: 'timeDuration', date: 'timeDate', cycle: 'timeCycle' } as const;

/** Adds the step's timer, as written, to the attributes of its timer event definition. */
export function writeTimer(ctx: ExportContext, step: Step, definitionAttrs: Record<string, unknown>): void {
  const timer = step.bpmn?.timer;
  if (!timer) return;
  definitionAttrs[TIME_PROPERTY[timer.kind]] = ctx.moddle.create('bpmn:FormalExpression', {
    body: timer.expression,
  });
}

/**
 * Adds the step's performers to an activity's attributes: resource roles, `camunda:` attributes,
 * and one `zeebe:assignmentDefinition` in its extension elements (`extensionValues`).
 */
export function writePerformers(
  ctx: ExportContext,
  performers: readonly StepPerformer[],
  attrs: Record<string, unknown>,
  extensionValues: unknown[],
): void {
  const resources: ModdleElement[] = [];
  const zeebe: Record<string, string> = {};
  const vendorAttrs: Record<string, string> = {};
  for (const { source, value } of performers) {
    const roleType = ROLE_TYPES[source];
    if (roleType) {
      const expression = ctx.moddle.create('bpmn:FormalExpression', { body: value });
      resources.push(
        ctx.moddle.create(roleType, {
          resourceAssignmentExpression: ctx.moddle.create('bpmn:ResourceAssignmentExpression', {
            expression,
          }),
        }),
      );
    } else if (source.startsWith('zeebe:')) zeebe[source.slice('zeebe:'.length)] = value;
    else vendorAttrs[source] = value;
  }
  if (resources.length > 0) attrs.resources = resources;
  if (Object.keys(vendorAttrs).length > 0) {
    // a qualified name moddle has no descriptor for is kept as an attribute of the element
    Object.assign(attrs, vendorAttrs);
    ctx.namespaces.add('camunda');
  }
  if (Object.keys(zeebe).length > 0) {
    extensionValues.push(ctx.moddle.createAny('zeebe:assignmentDefinition', VENDOR_NAMESPACES.zeebe, zeebe));
    ctx.namespaces.add('zeebe');
  }
}
