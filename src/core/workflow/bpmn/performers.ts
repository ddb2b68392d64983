/**
 * Who does an activity, as a BPMN file names it, kept on the step (`Step.bpmn.performers`) so
 * the analyst sees it and export writes it back:
 * - BPMN resource roles: `bpmn:performer`, `bpmn:humanPerformer`, `bpmn:potentialOwner`, by their
 *   `resourceAssignmentExpression` (`user(kermit)`, `group(nurses)`) or, without one, the name of
 *   the `bpmn:resource` their `resourceRef` names;
 * - Camunda 7: `camunda:assignee`, `camunda:candidateGroups`, `camunda:candidateUsers` attributes;
 * - Camunda 8: `zeebe:assignmentDefinition` (`assignee`, `candidateGroups`, `candidateUsers`).
 * Everything else about a role (its parameter bindings, a resource's parameters) is left to the
 * account as not used. Vendor namespaces are recognised by their URI, whatever the prefix.
 */
import type { PerformerSource, StepPerformer } from '../../../formats/workflow.ts';
import type { AccountBuilder } from '../../readerAccount/index.ts';
import { ACCOUNT_PREFIXES } from './account.ts';
import type { El } from './model.ts';

const ROLES: Readonly<Record<string, PerformerSource>> = {
  'bpmn:Performer': 'performer',
  'bpmn:HumanPerformer': 'humanPerformer',
  'bpmn:PotentialOwner': 'potentialOwner',
};

const ASSIGNMENTS = ['assignee', 'candidateGroups', 'candidateUsers'] as const;

/** The namespace URI a prefix of the file stands for (from its `xmlns:` declarations). */
export type UriOfPrefix = (prefix: string) => string | undefined;

/** The account's prefix (`camunda`, `zeebe`) of a qualified name of the file, if it is a known one. */
function knownPrefix(qualifiedName: string, uriOf: UriOfPrefix): string | undefined {
  const colon = qualifiedName.indexOf(':');
  if (colon < 0) return undefined;
  const uri = uriOf(qualifiedName.slice(0, colon));
  return uri === undefined ? undefined : ACCOUNT_PREFIXES[uri];
}

/**
 * The performers `activity` names, in file order; marks what it read as used in `account`.
 * `tag` is the activity's account name (`bpmn:userTask`).
 */
export function readPerformers(
  activity: El,
  tag: string,
  uriOf: UriOfPrefix,
  account: AccountBuilder,
): StepPerformer[] {
  const performers: StepPerformer[] = [];
  for (const role of activity.resources ?? []) {
    const source = ROLES[role.$type];
    if (!source) continue;
    const roleTag = `bpmn:${source}`;
    const assignment = role.resourceAssignmentExpression;
    const expression = assignment?.expression?.body?.trim();
    const resource = role.resourceRef;
    const named = resource?.name?.trim() || resource?.id;
    const where = activity.id ? { elementId: activity.id } : undefined;
    if (expression) {
      account.use(`${tag}/${roleTag}`);
      account.use(`${roleTag}/bpmn:resourceAssignmentExpression`);
      account.use('bpmn:resourceAssignmentExpression/bpmn:formalExpression');
      account.use('bpmn:resourceAssignmentExpression/bpmn:expression');
      performers.push({ source, value: expression });
    } else if (named) {
      account.use(`${tag}/${roleTag}`);
      account.use(`${roleTag}/bpmn:resourceRef`);
      account.use(`${roleTag}@resourceRef`);
      account.use('bpmn:definitions/bpmn:resource');
      performers.push({ source, value: named });
    } else {
      account.notUsed(
        'element',
        `${tag}/${roleTag}`,
        'a performer with neither a resource nor an expression: there is no one to keep',
        where,
      );
    }
  }
  for (const [key, value] of Object.entries((activity.$attrs ?? {}) as Record<string, unknown>)) {
    if (typeof value !== 'string' || value.trim() === '' || knownPrefix(key, uriOf) !== 'camunda') continue;
    const local = key.slice(key.indexOf(':') + 1);
    if (!(ASSIGNMENTS as readonly string[]).includes(local)) continue;
    account.use(`${tag}@camunda:${local}`);
    performers.push({ source: `camunda:${local}` as PerformerSource, value });
  }
  for (const value of (activity.extensionElements?.values ?? []) as (El & Record<string, unknown>)[]) {
    if (knownPrefix(value.$type, uriOf) !== 'zeebe') continue;
    if (value.$type.slice(value.$type.indexOf(':') + 1) !== 'assignmentDefinition') continue;
    account.use('bpmn:extensionElements/zeebe:assignmentDefinition');
    for (const local of ASSIGNMENTS) {
      const given = value[local];
      if (typeof given !== 'string' || given.trim() === '') continue;
      account.use(`zeebe:assignmentDefinition@${local}`);
      performers.push({ source: `zeebe:${local}`, value: given });
    }
  }
  return performers;
}
