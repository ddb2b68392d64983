/**
 * What an undo or a redo did, in words for the status line (a live region): the screen reader
 * hears "Undone: moved “Check in”." rather than the message of the edit that was just taken back.
 * Worked out from the workflow before and after, so it needs no record of the edits' wording.
 */
import type { Workflow } from '../../../formats/workflow.ts';

/** Names listed before "and N more". */
const MAX_NAMED = 2;

const quoted = (label: string) => `“${label.trim() || '(no label)'}”`;

function named(verb: string, labels: readonly string[], one: string, many: string): string {
  if (labels.length === 0) return '';
  if (labels.length > MAX_NAMED) return `${verb} ${labels.length} ${many}`;
  return `${verb} ${labels.length === 1 ? `${one} ` : `${many} `}${labels.map(quoted).join(' and ')}`;
}

/**
 * "added step “A”; moved 3 steps" for the change from `before` to `after`; empty when none is seen.
 * `added` is the verb for what is there again (an undo of a removal "brought back" the step).
 */
export function changeWords(before: Workflow, after: Workflow, added = 'added'): string {
  const parts: string[] = [];
  const stepsBefore = new Map(before.steps.map((s) => [s.id, s]));
  const stepsAfter = new Map(after.steps.map((s) => [s.id, s]));
  const addedSteps = after.steps.filter((s) => !stepsBefore.has(s.id)).map((s) => s.label);
  const removed = before.steps.filter((s) => !stepsAfter.has(s.id)).map((s) => s.label);
  const moved: string[] = [];
  const changed: string[] = [];
  for (const step of after.steps) {
    const old = stepsBefore.get(step.id);
    if (!old || old === step) continue;
    const { position: p1, ...rest1 } = old;
    const { position: p2, ...rest2 } = step;
    if (JSON.stringify(rest1) !== JSON.stringify(rest2)) changed.push(step.label);
    else if (p1?.x !== p2?.x || p1?.y !== p2?.y) moved.push(step.label);
  }
  parts.push(named(added, addedSteps, 'step', 'steps'), named('removed', removed, 'step', 'steps'));
  parts.push(named('changed', changed, 'step', 'steps'), named('moved', moved, 'step', 'steps'));
  const flowKey = (f: { from: string; to: string }) => `${f.from}\u0000${f.to}`;
  const flowsBefore = new Map(before.flows.map((f) => [flowKey(f), f]));
  const flowsAfter = new Map(after.flows.map((f) => [flowKey(f), f]));
  const flowsAdded = after.flows.filter((f) => !flowsBefore.has(flowKey(f))).length;
  const flowsRemoved = before.flows.filter((f) => !flowsAfter.has(flowKey(f))).length;
  const flowsChanged = after.flows.filter((f) => {
    const old = flowsBefore.get(flowKey(f));
    return old !== undefined && old !== f && JSON.stringify(old) !== JSON.stringify(f);
  }).length;
  const count = (n: number, one: string, many: string) => (n === 1 ? `a ${one}` : `${n} ${many}`);
  // flows that come and go with their steps are part of that step's change
  if (added.length === 0 && flowsAdded > 0)
    parts.push(`added ${count(flowsAdded, 'connection', 'connections')}`);
  if (removed.length === 0 && flowsRemoved > 0)
    parts.push(`removed ${count(flowsRemoved, 'connection', 'connections')}`);
  if (flowsChanged > 0) parts.push(`changed ${count(flowsChanged, 'connection', 'connections')}`);
  const lanesBefore = new Map(before.lanes.map((l) => [l.id, l]));
  const lanesAfter = new Map(after.lanes.map((l) => [l.id, l]));
  parts.push(
    named(
      added,
      after.lanes.filter((l) => !lanesBefore.has(l.id)).map((l) => l.name),
      'lane',
      'lanes',
    ),
    named(
      'removed',
      before.lanes.filter((l) => !lanesAfter.has(l.id)).map((l) => l.name),
      'lane',
      'lanes',
    ),
  );
  const laneOrder = (w: Workflow) => w.lanes.map((l) => l.id).join('\u0000');
  const lanesChanged = after.lanes
    .filter((l) => {
      const old = lanesBefore.get(l.id);
      return old !== undefined && old !== l && JSON.stringify(old) !== JSON.stringify(l);
    })
    .map((l) => l.name);
  parts.push(named('changed', lanesChanged, 'lane', 'lanes'));
  if (
    lanesBefore.size === lanesAfter.size &&
    [...lanesBefore.keys()].every((id) => lanesAfter.has(id)) &&
    laneOrder(before) !== laneOrder(after)
  )
    parts.push('moved a lane');
  parts.push(...besideWords(before, after, added));
  const {
    steps: _s1,
    flows: _f1,
    lanes: _l1,
    pools: _p1,
    messageFlows: _m1,
    dataObjects: _d1,
    annotations: _a1,
    groups: _g1,
    ...restBefore
  } = before;
  const {
    steps: _s2,
    flows: _f2,
    lanes: _l2,
    pools: _p2,
    messageFlows: _m2,
    dataObjects: _d2,
    annotations: _a2,
    groups: _g2,
    ...restAfter
  } = after;
  if (JSON.stringify(restBefore) !== JSON.stringify(restAfter)) parts.push('changed the workflow’s details');
  return parts.filter((p) => p !== '').join('; ');
}

/** Pools renamed, messages and documents added, removed or changed, in words. */
function besideWords(before: Workflow, after: Workflow, added: string): string[] {
  const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);
  const poolsBefore = new Map((before.pools ?? []).map((p) => [p.id, p]));
  const renamed = (after.pools ?? []).filter((p) => {
    const old = poolsBefore.get(p.id);
    return old !== undefined && !same(old, p);
  });
  const key = (m: { from: string; to: string }) => `${m.from}\u0000${m.to}`;
  const messagesBefore = new Map((before.messageFlows ?? []).map((m) => [key(m), m]));
  const messagesAfter = new Map((after.messageFlows ?? []).map((m) => [key(m), m]));
  const messagesAdded = [...messagesAfter.keys()].filter((k) => !messagesBefore.has(k)).length;
  const messagesRemoved = [...messagesBefore.keys()].filter((k) => !messagesAfter.has(k)).length;
  const messagesChanged = [...messagesAfter].filter(([k, m]) => {
    const old = messagesBefore.get(k);
    return old !== undefined && !same(old, m);
  }).length;
  const dataBefore = new Map((before.dataObjects ?? []).map((d) => [d.id, d]));
  const dataAfter = new Map((after.dataObjects ?? []).map((d) => [d.id, d]));
  const count = (n: number, one: string, many: string) => (n === 1 ? `a ${one}` : `${n} ${many}`);
  return [
    named(
      'renamed',
      renamed.map((p) => p.name),
      'pool',
      'pools',
    ),
    messagesAdded > 0 ? `${added} ${count(messagesAdded, 'message', 'messages')}` : '',
    messagesRemoved > 0 ? `removed ${count(messagesRemoved, 'message', 'messages')}` : '',
    messagesChanged > 0 ? `changed ${count(messagesChanged, 'message', 'messages')}` : '',
    named(
      added,
      [...dataAfter.values()].filter((d) => !dataBefore.has(d.id)).map((d) => d.label),
      'document',
      'documents',
    ),
    named(
      'removed',
      [...dataBefore.values()].filter((d) => !dataAfter.has(d.id)).map((d) => d.label),
      'document',
      'documents',
    ),
    named(
      'changed',
      [...dataAfter.values()]
        .filter((d) => {
          const old = dataBefore.get(d.id);
          return old !== undefined && !same(old, d);
        })
        .map((d) => d.label),
      'document',
      'documents',
    ),
  ];
}

/** The status line after an undo (`undo`) or a redo, from the workflow before and after it. */
export function undoMessage(kind: 'undo' | 'redo', before: Workflow, after: Workflow): string {
  const what = changeWords(before, after, kind === 'undo' ? 'brought back' : 'added');
  return kind === 'undo'
    ? `Undone${what ? `: ${what}` : ''}. Redo puts it back.`
    : `Redone${what ? `: ${what}` : ''}. Undo takes it back.`;
}
