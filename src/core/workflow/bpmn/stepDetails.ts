/**
 * What a step keeps of its BPMN element beyond its type (`Step.bpmn`): a timer event's time
 * (timers.ts) and an activity's performers (performers.ts). Export writes both back
 * (writers/stepDetails.ts). The timer of a catch or boundary event is also the step's wait, unless
 * Preflight's own `waitMin` is in the file (`ownWait`): a Preflight export carries the analyst's
 * figure, which wins. A start event's timer says when cases begin and is no wait.
 */
import type { Step, StepTimer } from '../../../formats/workflow.ts';
import type { AccountBuilder } from '../../readerAccount/index.ts';
import { type El, isA } from './model.ts';
import { readPerformers, type UriOfPrefix } from './performers.ts';
import { readTimer } from './timers.ts';

/** What {@link readStepDetails} needs of the import. */
export interface StepDetailsContext {
  /** the element's tag as the account names it (`bpmn:userTask`) */
  tag: string;
  uriOf: UriOfPrefix;
  account: AccountBuilder;
  /** the file gives the step's wait in `preflight:step waitMin` */
  ownWait: boolean;
}

/** The element's timer and performers, if any; sets `step.waitMin` from the timer it can read. */
export function readStepDetails(
  element: El,
  step: Step,
  context: StepDetailsContext,
): Pick<NonNullable<Step['bpmn']>, 'timer' | 'performers'> | undefined {
  const performers = isA(element, 'bpmn:Activity')
    ? readPerformers(element, context.tag, context.uriOf, context.account)
    : [];
  const definition = (element.eventDefinitions ?? []).find(
    (candidate) => candidate.$type === 'bpmn:TimerEventDefinition',
  );
  const timer = definition ? timerOf(definition, element, step, context) : undefined;
  if (!timer && performers.length === 0) return undefined;
  return { ...(timer ? { timer } : {}), ...(performers.length > 0 ? { performers } : {}) };
}

function timerOf(
  definition: El,
  element: El,
  step: Step,
  context: StepDetailsContext,
): StepTimer | undefined {
  const kinds = [
    ['duration', definition.timeDuration],
    ['date', definition.timeDate],
    ['cycle', definition.timeCycle],
  ] as const;
  const found = kinds.find(([, time]) => time !== undefined);
  if (!found) return undefined;
  const [kind, time] = found;
  const name = `bpmn:timerEventDefinition/bpmn:time${kind.charAt(0).toUpperCase()}${kind.slice(1)}`;
  const where = element.id ? { elementId: element.id } : undefined;
  const expression = time?.body?.trim() ?? '';
  if (expression === '') {
    context.account.notUsed(
      'element',
      name,
      'the timer has no time written in it, so its wait is left at 0 minutes: enter the wait in the editor',
      where,
    );
    return undefined;
  }
  const timer: StepTimer = { kind, expression };
  // a timer that starts the process (or an event sub-process) says when cases begin: no case waits
  if (element.$type === 'bpmn:StartEvent') {
    context.account.interpreted(
      'element',
      name,
      'a timer that starts the process says when cases begin, not how long one waits: it is kept for export and not counted as waiting',
      where,
    );
    return timer;
  }
  const reading = readTimer(timer);
  if (reading.status === 'unreadable') context.account.notUsed('element', name, reading.why, where);
  else if (reading.status === 'interpreted') context.account.interpreted('element', name, reading.why, where);
  else context.account.use(name);
  if (reading.status !== 'unreadable' && !context.ownWait) step.waitMin = reading.minutes;
  return timer;
}
