/**
 * What BPMN import returns besides the workflow: the problems met while reading, and the list of
 * what the file holds that the workflow does not (so nothing is dropped silently).
 */
import type { Workflow } from '../../../formats/workflow.ts';
import type { ReaderAccount } from '../../readerAccount/index.ts';

/** Stable codes of {@link BpmnProblem} (the CLI prints them; extend, never rename). */
export type BpmnProblemCode =
  /** the text is not well-formed XML */
  | 'not-xml'
  /** one name, text, attribute value or comment is longer than the reader accepts (see importBpmn.ts) */
  | 'too-long'
  /** sub-processes nested deeper than the reader accepts (see nesting.ts) */
  | 'too-deep'
  /** well-formed XML, but not a BPMN 2.0 `definitions` document */
  | 'not-bpmn'
  /** the file's bytes could not be decoded (see decode.ts) */
  | 'unsupported-encoding'
  | 'invalid-encoding'
  /** an attribute names an element id the file does not define */
  | 'unresolved-reference'
  /** an element the reader could not read (unknown BPMN element, bad attribute value) */
  | 'unreadable-element'
  /** an element id that is not a valid XML name, read under a repaired id (warning) */
  | 'invalid-id'
  /** a BPMN document without any process, pool or step */
  | 'empty'
  /** the workflow built from the file breaks a rule of `preflight.workflow/v1` (see `path`) */
  | 'invalid-workflow';

/** One problem of an import. Messages name elements by id and type, never their text. */
export interface BpmnProblem {
  /** `error`: no workflow could be built (fatal) or the built one is invalid; `warning`: read around */
  severity: 'error' | 'warning';
  code: BpmnProblemCode;
  message: string;
  /** id of the BPMN element concerned, when known */
  elementId?: string;
  /** 1-based line and column in the XML, when the reader knows them */
  line?: number;
  column?: number;
  /** JSON Pointer into the built workflow (`invalid-workflow` only) */
  path?: string;
}

/** Something the BPMN file holds that the workflow does not carry, and why. */
export interface NotCarriedOver {
  /** id of the BPMN element (or of its nearest element with an id) */
  elementId: string;
  /** its BPMN type, e.g. `bpmn:DataObjectReference`, or `xmlns` for a vendor namespace */
  elementType: string;
  /** what was not carried over, in plain words */
  what: string;
  /** why, and what Preflight kept instead, if anything */
  why: string;
}

/** The result of {@link importBpmn}: `workflow` is absent only after a fatal problem. */
export interface BpmnImportResult {
  workflow?: Workflow;
  /** what the workflow does not carry, by element: the same as the account's lines the import listed */
  notCarriedOver: NotCarriedOver[];
  /**
   * every element path and attribute of the file, used or listed with its effect (reader `bpmn`;
   * see account.ts); empty after a fatal problem
   */
  account: ReaderAccount;
  problems: BpmnProblem[];
}
