/**
 * Workflows with pools, messages and documents across a sub-process's page, shared by the BPMN
 * round-trip tests and the export check in bpmn-js (the BPMN journey).
 */
import { type Step, WORKFLOW_FORMAT, type Workflow } from '../../../../formats/workflow.ts';

export const step = (id: string, lane: string, kind: Step['kind'] = 'task'): Step => ({
  id,
  label: id,
  lane,
  kind,
  medium: 'digital',
  system: '',
  touchMin: 5,
  waitMin: 0,
  clicks: 0,
  enters: [],
});

/** The clinic and the lab as two pools: the head the samples here share. */
const clinicAndLab: Pick<Workflow, 'format' | 'id' | 'name' | 'state' | 'arrivalsPerHour'> &
  Required<Pick<Workflow, 'pools'>> = {
  format: WORKFLOW_FORMAT,
  id: 'referral',
  name: 'Lab referral',
  state: 'current',
  arrivalsPerHour: 2,
  pools: [
    { id: 'clinic', name: 'Clinic' },
    { id: 'lab', name: 'Reference lab' },
  ],
};

/** A referral: the clinic sends an order to the lab, the lab sends the result back. */
export const referral: Workflow = {
  ...clinicAndLab,
  pools: [...clinicAndLab.pools, { id: 'patient', name: 'Patient' }],
  lanes: [
    { id: 'desk', name: 'Front desk', staff: 2, pool: 'clinic' },
    { id: 'md', name: 'Physician', staff: 1, pool: 'clinic' },
    { id: 'lab', name: 'Reference lab', staff: 1, pool: 'lab' },
    { id: 'patient', name: 'Patient', staff: 1, pool: 'patient' },
  ],
  steps: [
    step('start', 'desk', 'start'),
    step('order', 'md'),
    step('review', 'md'),
    step('end', 'desk', 'end'),
    step('lab-start', 'lab', 'start'),
    step('analyse', 'lab'),
    step('lab-end', 'lab', 'end'),
  ],
  flows: [
    { from: 'start', to: 'order', transfer: 'none' },
    { from: 'order', to: 'review', transfer: 'none' },
    { from: 'review', to: 'end', transfer: 'none' },
    { from: 'lab-start', to: 'analyse', transfer: 'none' },
    { from: 'analyse', to: 'lab-end', transfer: 'none' },
  ],
  messageFlows: [
    { id: 'send-order', from: 'order', to: 'lab-start', label: 'Lab order' },
    { id: 'send-result', from: 'analyse', to: 'review', label: 'Result' },
    { id: 'tell-patient', from: 'review', to: 'patient' },
  ],
  dataObjects: [
    { id: 'order-form', label: 'Order form', kind: 'object', readBy: ['analyse'], writtenBy: ['order'] },
    { id: 'ehr', label: 'EHR', kind: 'store', readBy: ['review'] },
  ],
};

/**
 * The lab's work is a sub-process: the order arrives at, and the result leaves from, steps inside
 * it (on its own page when exported).
 */
export const labInside: Workflow = {
  ...referral,
  steps: [
    ...referral.steps.filter((s) => s.id !== 'analyse'),
    { ...step('lab-work', 'lab'), label: 'Lab work', bpmn: { type: 'subProcess' } },
    { ...step('receive', 'lab'), within: 'lab-work' },
    { ...step('analyse', 'lab'), within: 'lab-work' },
  ],
  flows: [
    ...referral.flows.filter((f) => f.from !== 'lab-start' && f.from !== 'analyse'),
    { from: 'lab-start', to: 'lab-work', transfer: 'none' },
    { from: 'lab-work', to: 'receive', transfer: 'none' },
    { from: 'receive', to: 'analyse', transfer: 'none' },
    { from: 'analyse', to: 'lab-end', transfer: 'none' },
  ],
  messageFlows: [
    { id: 'send-order', from: 'order', to: 'receive', label: 'Lab order' },
    { id: 'send-result', from: 'analyse', to: 'review', label: 'Result' },
  ],
  dataObjects: [],
};

/**
 * Documents used across pages: the order form is on the clinic's page and read inside the lab's
 * sub-process; the lab sheet is inside the sub-process and read by the physician outside it.
 */
export const documentsAcross: Workflow = {
  ...labInside,
  dataObjects: [
    { id: 'order-form', label: 'Order form', kind: 'object', readBy: ['analyse'], writtenBy: ['order'] },
    {
      id: 'lab-sheet',
      label: 'Lab sheet',
      kind: 'object',
      writtenBy: ['analyse'],
      readBy: ['review'],
      within: 'lab-work',
    },
  ],
};

/**
 * Documents on the clinic's and the lab's main pages used only by steps inside the lab's
 * sub-process: the step inside reads the order form and writes the lab's record.
 */
export const documentsIntoSubProcess: Workflow = {
  ...labInside,
  dataObjects: [
    { id: 'order-form', label: 'Order form', kind: 'object', readBy: ['analyse'], writtenBy: ['order'] },
    { id: 'lab-record', label: 'Lab record', kind: 'store', readBy: ['receive'], writtenBy: ['analyse'] },
  ],
};

/** A step named as the editor shows it: `label`, four minutes of touch time. */
const labelled = (id: string, label: string, lane: string, kind: Step['kind'] = 'task'): Step => ({
  ...step(id, lane, kind),
  label,
  touchMin: 4,
});

/**
 * A physician's lab order and its result as messages between two pools (without ids, as drawn on
 * the editor's canvas): the workflow the editor's message selection is tried on.
 */
export const labOrderMessages: Workflow = {
  ...clinicAndLab,
  lanes: [
    { id: 'md', name: 'Physician', staff: 1, pool: 'clinic' },
    { id: 'tech', name: 'Lab technician', staff: 1, pool: 'lab' },
  ],
  steps: [
    labelled('order', 'Order test', 'md'),
    labelled('review', 'Review result', 'md'),
    labelled('analyse', 'Analyse sample', 'tech'),
  ],
  flows: [{ from: 'order', to: 'review', transfer: 'none' }],
  messageFlows: [
    { from: 'order', to: 'analyse', label: 'Lab order' },
    { from: 'analyse', to: 'review', label: 'Result' },
  ],
};

/**
 * A visit from start to end in the clinic's pool and a lab step in the lab's, with nothing yet
 * between them: the workflow the inspector's pools, messages and documents are added to.
 */
export const labOrderUnlinked: Workflow = {
  ...clinicAndLab,
  lanes: [
    { id: 'md', name: 'Physician', staff: 1, pool: 'clinic' },
    { id: 'desk', name: 'Front desk', staff: 1, pool: 'clinic' },
    { id: 'tech', name: 'Lab technician', staff: 1, pool: 'lab' },
  ],
  steps: [
    labelled('start', 'Visit', 'md', 'start'),
    labelled('order', 'Order test', 'md'),
    labelled('file', 'File result', 'desk'),
    labelled('end', 'Done', 'desk', 'end'),
    labelled('analyse', 'Analyse sample', 'tech'),
  ],
  flows: [
    { from: 'start', to: 'order', transfer: 'none' },
    { from: 'order', to: 'file', transfer: 'none' },
    { from: 'file', to: 'end', transfer: 'none' },
  ],
};
