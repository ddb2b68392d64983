/**
 * What travels beside the work, in the inspector: the messages a step sends to and receives from
 * other pools (or other lanes, in a workflow of one pool), the documents and stores it reads and
 * writes, and, for the whole workflow, the pools' names and the documents. Each change is one edit
 * of the editor's history (undo, redo and autosave as for any edit). Never analysed: a message is
 * not a flow of the case, and a document is not data typed (that is a step's "Data entered").
 */
import { useId, useState } from 'react';
import {
  type ApplyOptions,
  idBase,
  newDataId,
  type WorkflowEdit,
} from '../../../core/workflow/edit/index.ts';
import type { DataObject, MessageFlow, Step, Workflow } from '../../../formats/workflow.ts';
import { type Drafts, type SetDraft, TextField } from './fields.tsx';

type Apply = (edit: WorkflowEdit, options?: ApplyOptions) => string | null;

/** What a document or store is called on screen. */
const DATA_KIND_WORDS: Record<DataObject['kind'], string> = { object: 'document', store: 'store' };

/** The names of steps and pools, for the words of a message. */
function namesOf(workflow: Workflow): Map<string, string> {
  return new Map<string, string>([
    ...(workflow.pools ?? []).map((pool) => [pool.id, pool.name] as const),
    ...workflow.steps.map((s) => [s.id, s.label] as const),
  ]);
}

/** A message in words, seen from `step`; null when the step is neither end. */
function messageWords(message: MessageFlow, step: Step, names: Map<string, string>): string | null {
  const what = message.label ? `“${message.label}”` : 'A message';
  if (message.from === step.id) return `${what} sent to ${names.get(message.to) ?? message.to}`;
  if (message.to === step.id) return `${what} received from ${names.get(message.from) ?? message.from}`;
  return null;
}

/** How `step` uses `data`, in words ("reads and writes"); empty when it does not. */
function usesWords(data: DataObject, step: Step): string {
  return [
    data.readBy?.includes(step.id) ? 'reads' : null,
    data.writtenBy?.includes(step.id) ? 'writes' : null,
  ]
    .filter(Boolean)
    .join(' and ');
}

/**
 * The other ends a message from or to `step` can have: steps of the other pools and the pools
 * themselves, or, in a workflow of one pool, steps of the other lanes. Each with the words the
 * list shows ("Reference lab: Analyse sample").
 */
function messagePartners(workflow: Workflow, step: Step): { id: string; label: string }[] {
  const pools = workflow.pools ?? [];
  const laneOf = new Map(workflow.lanes.map((lane) => [lane.id, lane]));
  if (pools.length === 0) {
    return workflow.steps
      .filter((s) => s.lane !== step.lane)
      .map((s) => ({ id: s.id, label: `${laneOf.get(s.lane)?.name ?? s.lane}: ${s.label}` }));
  }
  const OWN = '\u0000own';
  const poolOf = (s: Step) => laneOf.get(s.lane)?.pool ?? OWN;
  const mine = poolOf(step);
  return pools
    .filter((pool) => pool.id !== mine)
    .flatMap((pool) => [
      { id: pool.id, label: `${pool.name} (the whole pool)` },
      ...workflow.steps
        .filter((s) => poolOf(s) === pool.id)
        .map((s) => ({ id: s.id, label: `${pool.name}: ${s.label}` })),
    ]);
}

/**
 * The messages and documents of a step: listed, and, with `apply`, removed and added. Without
 * `apply` (a workflow only looked at) it is a list, and nothing when there is none.
 */
export function BesideTheWork({ workflow, step, apply }: { workflow: Workflow; step: Step; apply?: Apply }) {
  const names = namesOf(workflow);
  // a file from another tool may hold two messages between the same ends: each is its own entry
  const messages = (workflow.messageFlows ?? []).flatMap((message, position) => {
    const words = messageWords(message, step, names);
    return words === null ? [] : [{ message, words, key: `${position}:${message.from}:${message.to}` }];
  });
  const data = (workflow.dataObjects ?? []).flatMap((object) => {
    const uses = usesWords(object, step);
    if (uses === '') return [];
    const words = `${uses} ${object.label} (${DATA_KIND_WORDS[object.kind]})`;
    return [{ object, words: words.charAt(0).toUpperCase() + words.slice(1) }];
  });
  if (!apply && messages.length === 0 && data.length === 0) return null;
  return (
    <>
      {(apply || messages.length > 0) && (
        <>
          <h4 id={`messages-${step.id}`}>Messages</h4>
          {messages.length > 0 ? (
            <ul aria-labelledby={`messages-${step.id}`} className="inspector-list">
              {messages.map(({ message, words, key }) => (
                <li key={key}>
                  {words}
                  {apply && (
                    <>
                      {' '}
                      <button
                        type="button"
                        className="link-button"
                        aria-label={`Remove the message: ${words}`}
                        onClick={() => apply({ type: 'message/remove', from: message.from, to: message.to })}
                      >
                        Remove
                      </button>
                    </>
                  )}
                </li>
              ))}
            </ul>
          ) : (
            <p className="field-hint">None. A message is what goes to or comes from another party.</p>
          )}
          {apply && <AddMessage workflow={workflow} step={step} apply={apply} />}
        </>
      )}
      {(apply || data.length > 0) && (
        <>
          <h4 id={`data-${step.id}`}>Documents and data</h4>
          {data.length > 0 ? (
            <ul aria-labelledby={`data-${step.id}`} className="inspector-list">
              {data.map(({ object, words }) => (
                <li key={object.id}>
                  {words}
                  {apply && (
                    <>
                      {' '}
                      <button
                        type="button"
                        className="link-button"
                        aria-label={`Unlink ${object.label} from this step`}
                        onClick={() =>
                          apply({
                            type: 'data/update',
                            id: object.id,
                            patch: {
                              readBy: withoutStep(object.readBy, step.id),
                              writtenBy: withoutStep(object.writtenBy, step.id),
                            },
                          })
                        }
                      >
                        Unlink
                      </button>
                    </>
                  )}
                </li>
              ))}
            </ul>
          ) : (
            <p className="field-hint">None: no document or store is read or written here.</p>
          )}
          {apply && <AddData workflow={workflow} step={step} apply={apply} />}
        </>
      )}
    </>
  );
}

/** The list without `id`; null (remove the field) when nothing is left. */
function withoutStep(list: string[] | undefined, id: string): string[] | null {
  const kept = (list ?? []).filter((s) => s !== id);
  return kept.length > 0 ? kept : null;
}

/** Adds a message sent to, or received from, another party's step or pool. */
function AddMessage({ workflow, step, apply }: { workflow: Workflow; step: Step; apply: Apply }) {
  const id = useId();
  const [direction, setDirection] = useState<'to' | 'from'>('to');
  const [partner, setPartner] = useState('');
  const [label, setLabel] = useState('');
  const [refusal, setRefusal] = useState<string | null>(null);
  const partners = messagePartners(workflow, step);
  if (partners.length === 0) return null;
  const chosen = partners.some((p) => p.id === partner) ? partner : (partners[0]?.id ?? '');
  const add = () => {
    const text = label.trim();
    const message: MessageFlow = {
      from: direction === 'to' ? step.id : chosen,
      to: direction === 'to' ? chosen : step.id,
      ...(text ? { label: text } : {}),
    };
    const refused = apply({ type: 'message/add', message });
    setRefusal(refused);
    if (refused === null) setLabel('');
  };
  return (
    <fieldset className="field beside-add">
      <legend>Add a message</legend>
      <div className="chip-add">
        <label htmlFor={`${id}-direction`} className="visually-hidden">
          Sent or received
        </label>
        <select
          id={`${id}-direction`}
          value={direction}
          onChange={(event) => setDirection(event.target.value === 'from' ? 'from' : 'to')}
        >
          <option value="to">Sent to</option>
          <option value="from">Received from</option>
        </select>
        <label htmlFor={`${id}-partner`} className="visually-hidden">
          Other party
        </label>
        <select id={`${id}-partner`} value={chosen} onChange={(event) => setPartner(event.target.value)}>
          {partners.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </select>
      </div>
      <div className="chip-add">
        <label htmlFor={`${id}-label`} className="visually-hidden">
          What the message is (optional)
        </label>
        <input
          id={`${id}-label`}
          type="text"
          autoComplete="off"
          placeholder="e.g. Lab order"
          value={label}
          onChange={(event) => setLabel(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              add();
            }
          }}
        />
        <button type="button" onClick={add}>
          Add message
        </button>
      </div>
      {refusal && (
        <p className="field-error" role="status">
          {refusal}
        </p>
      )}
    </fieldset>
  );
}

/**
 * Links a document or store to the step (read or written): one already in the workflow, by its
 * name, or a new one of the name typed.
 */
function AddData({ workflow, step, apply }: { workflow: Workflow; step: Step; apply: Apply }) {
  const id = useId();
  const [use, setUse] = useState<'readBy' | 'writtenBy'>('writtenBy');
  const [kind, setKind] = useState<DataObject['kind']>('object');
  const [name, setName] = useState('');
  const [refusal, setRefusal] = useState<string | null>(null);
  const objects = workflow.dataObjects ?? [];
  const existing = objects.find((d) => d.label.trim().toLowerCase() === name.trim().toLowerCase());
  const add = () => {
    const label = name.trim();
    if (label === '') {
      setRefusal('Type the name of the document or store.');
      return;
    }
    let edit: WorkflowEdit;
    if (existing) {
      if (existing[use]?.includes(step.id)) {
        setRefusal(`This step already ${use === 'readBy' ? 'reads' : 'writes'} ${existing.label}.`);
        return;
      }
      edit = { type: 'data/update', id: existing.id, patch: { [use]: [...(existing[use] ?? []), step.id] } };
    } else {
      const data: DataObject = {
        id: newDataId(workflow, idBase(label)),
        label,
        kind,
        [use]: [step.id],
        ...(step.within !== undefined ? { within: step.within } : {}),
      };
      edit = { type: 'data/add', data };
    }
    const refused = apply(edit);
    setRefusal(refused);
    if (refused === null) setName('');
  };
  const listId = `${id}-known`;
  return (
    <fieldset className="field beside-add">
      <legend>Link a document or store</legend>
      <div className="chip-add">
        <label htmlFor={`${id}-use`} className="visually-hidden">
          Reads or writes
        </label>
        <select
          id={`${id}-use`}
          value={use}
          onChange={(event) => setUse(event.target.value === 'readBy' ? 'readBy' : 'writtenBy')}
        >
          <option value="writtenBy">Writes</option>
          <option value="readBy">Reads</option>
        </select>
        <label htmlFor={`${id}-kind`} className="visually-hidden">
          Kind (for a new one)
        </label>
        <select
          id={`${id}-kind`}
          value={existing?.kind ?? kind}
          disabled={existing !== undefined}
          onChange={(event) => setKind(event.target.value === 'store' ? 'store' : 'object')}
        >
          <option value="object">Document</option>
          <option value="store">Store (outlives the case)</option>
        </select>
      </div>
      <div className="chip-add">
        <label htmlFor={`${id}-name`} className="visually-hidden">
          Document or store name
        </label>
        <input
          id={`${id}-name`}
          type="text"
          autoComplete="off"
          list={listId}
          placeholder="e.g. Referral letter"
          value={name}
          onChange={(event) => setName(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter') {
              event.preventDefault();
              add();
            }
          }}
        />
        <datalist id={listId}>
          {objects.map((d) => (
            <option key={d.id} value={d.label} />
          ))}
        </datalist>
        <button type="button" onClick={add}>
          {existing ? 'Link' : 'Add'}
        </button>
      </div>
      {refusal && (
        <p className="field-error" role="status">
          {refusal}
        </p>
      )}
    </fieldset>
  );
}

/**
 * The workflow's pools (renamed here) and its documents and stores (renamed or removed, with
 * their links to steps), for the workflow's inspector. Nothing when there are neither.
 */
export function PoolsAndDocuments({
  workflow,
  apply,
  drafts,
  setDraft,
}: {
  workflow: Workflow;
  apply: Apply;
  drafts: Drafts;
  setDraft: SetDraft;
}) {
  const pools = workflow.pools ?? [];
  const objects = workflow.dataObjects ?? [];
  const label = new Map(workflow.steps.map((s) => [s.id, s.label]));
  return (
    <>
      {pools.length > 0 && (
        <fieldset className="field">
          <legend>Pools (the parties)</legend>
          {pools.map((pool, index) => {
            const key = `pool:${pool.id}:name`;
            return (
              <TextField
                key={pool.id}
                label={`Name of pool ${index + 1}`}
                value={pool.name}
                required
                draftKey={key}
                drafts={drafts}
                setDraft={setDraft}
                onCommit={(name) =>
                  apply({ type: 'pool/update', id: pool.id, patch: { name } }, { coalesce: key })
                }
              />
            );
          })}
        </fieldset>
      )}
      {objects.length > 0 && (
        <fieldset className="field">
          <legend>Documents and stores</legend>
          {objects.map((object, index) => {
            const key = `data:${object.id}:label`;
            const users = [...new Set([...(object.writtenBy ?? []), ...(object.readBy ?? [])])].map(
              (id) => label.get(id) ?? id,
            );
            return (
              <div key={object.id} className="beside-item">
                <TextField
                  label={`Name of ${DATA_KIND_WORDS[object.kind]} ${index + 1}`}
                  value={object.label}
                  required
                  draftKey={key}
                  drafts={drafts}
                  setDraft={setDraft}
                  onCommit={(text) =>
                    apply({ type: 'data/update', id: object.id, patch: { label: text } }, { coalesce: key })
                  }
                />
                <p className="field-hint">
                  {users.length > 0 ? `Used by ${users.join(', ')}.` : 'No step reads or writes it.'}{' '}
                  <button
                    type="button"
                    className="link-button"
                    aria-label={`Remove ${object.label}`}
                    onClick={() => apply({ type: 'data/remove', id: object.id })}
                  >
                    Remove
                  </button>
                </p>
              </div>
            );
          })}
        </fieldset>
      )}
    </>
  );
}

/**
 * A message selected on the canvas: who sends it to whom (each end with its pool or lane), what
 * it is (renamed here; empty takes the name away) and a button that removes it (as Delete does).
 */
export function MessageInspector({
  workflow,
  from,
  to,
  apply,
  drafts,
  setDraft,
  onRemove,
}: {
  workflow: Workflow;
  from: string;
  to: string;
  apply: Apply;
  drafts: Drafts;
  setDraft: SetDraft;
  onRemove: () => void;
}) {
  const message = (workflow.messageFlows ?? []).find((m) => m.from === from && m.to === to);
  if (!message) return null;
  const names = namesOf(workflow);
  const laneOf = new Map(workflow.lanes.map((lane) => [lane.id, lane]));
  const poolName = new Map((workflow.pools ?? []).map((pool) => [pool.id, pool.name]));
  /** An end in words: a step with its pool (or, without pools, its lane); a pool as a whole. */
  const party = (id: string): string => {
    const step = workflow.steps.find((s) => s.id === id);
    if (!step) return `${names.get(id) ?? id} (the whole pool)`;
    const lane = laneOf.get(step.lane);
    const where = lane?.pool !== undefined ? poolName.get(lane.pool) : lane?.name;
    return where ? `${step.label} (${where})` : step.label;
  };
  const key = `message:${from}:${to}:label`;
  return (
    <section aria-labelledby="inspector-title" className="inspector-body">
      <h3 id="inspector-title">
        Message from {names.get(from) ?? from} to {names.get(to) ?? to}
      </h3>
      <p>Sent by {party(from)}.</p>
      <p>Received by {party(to)}.</p>
      <TextField
        label="What the message is"
        value={message.label ?? ''}
        draftKey={key}
        drafts={drafts}
        setDraft={setDraft}
        onCommit={(text) =>
          apply(
            { type: 'message/update', from, to, patch: { label: text.trim() === '' ? null : text } },
            { coalesce: key },
          )
        }
      />
      <p className="field-hint">
        A message goes to another party; it is drawn dashed and is not a step of the case, so the analysis
        does not follow it.
      </p>
      <button type="button" className="danger-outline" onClick={onRemove}>
        Remove message
      </button>
    </section>
  );
}
