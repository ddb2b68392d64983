import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import type { FhirLineIndex } from '../../../workers/fhirValidateApi.ts';
import { readFhirRecordInWorker } from '../../../workers/fhirValidateClient.ts';
import type { ResourceView } from '../../core/fhir/index.ts';
import { toJobError } from '../../core/jobs/errors.ts';
import { formatCount } from '../common/format.ts';

/** A resource to show at an issue's location. */
export interface FhirRecordTarget {
  file: Blob;
  name: string;
  /** the NDJSON line, or 1 for a whole file */
  row: number;
  /** the FHIRPath-style location ('' for a JSON syntax error) */
  location: string;
  /** the file's sparse line index (NDJSON) */
  index?: FhirLineIndex | undefined;
  /** where a JSON syntax error is */
  syntax?: { line: number; column: number } | undefined;
  /** changes on every request, so opening the same example again scrolls to it again */
  seq: number;
}

/** The scroll box's name for screen readers (a scrollable region must be named and focusable). */
const SCROLL_LABEL = 'The resource as formatted JSON, scrollable';

type ViewState =
  | { status: 'loading' }
  | { status: 'shown'; view: ResourceView; json: boolean }
  | { status: 'problem'; message: string };

/**
 * The resource of an issue, re-read from the user's file in the FHIR worker (by its line's byte
 * offset, never kept in memory), as formatted JSON with the element at the issue's location
 * highlighted and scrolled into view. A record that is not JSON is shown as its text at the error.
 */
export function FhirRecordViewer({ target }: { target: FhirRecordTarget }) {
  const [state, setState] = useState<ViewState>({ status: 'loading' });
  const titleId = useId();
  const markRef = useRef<HTMLElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const sectionRef = useRef<HTMLElement>(null);
  const scrollerRef = useRef<HTMLElement>(null);

  useEffect(() => {
    let live = true;
    setState({ status: 'loading' });
    readFhirRecordInWorker(target.file, target.name, target.row, target.location, target.index, target.syntax)
      .then((read) => {
        if (!live) return;
        if (read.ok) setState({ status: 'shown', view: read.view, json: read.json });
        else setState({ status: 'problem', message: `${read.problem.message} ${read.problem.advice}` });
      })
      .catch((error: unknown) => {
        if (live) setState({ status: 'problem', message: toJobError(error).message });
      });
    return () => {
      live = false;
    };
  }, [target]);

  // in the commit that shows the resource, before anything else runs: the text is measured and
  // scrolled before it is painted, and nothing that reacts to the shown text finds focus elsewhere
  useLayoutEffect(() => {
    if (state.status !== 'shown') return;
    // the heading takes focus (keyboard and screen reader users land on what they opened), the
    // viewer comes to the top of the window, and its text scrolls to the highlighted element (the
    // scroll box is at most 60 % of the window high, so the element is in view with its heading)
    headingRef.current?.focus({ preventScroll: true });
    sectionRef.current?.scrollIntoView({ block: 'start' });
    const scroller = scrollerRef.current;
    const mark = markRef.current;
    if (scroller && mark) scroller.scrollTop = Math.max(0, mark.offsetTop - scroller.clientHeight / 3);
  }, [state]);

  const where =
    target.location || (target.syntax ? `line ${target.syntax.line}, column ${target.syntax.column}` : '');
  return (
    <section aria-labelledby={titleId} className="card fhir-record-viewer" ref={sectionRef}>
      <h4 id={titleId} ref={headingRef} tabIndex={-1}>
        {target.name}, line {formatCount(target.row)}
        {where ? `: ${where}` : ''}
      </h4>
      {state.status === 'loading' && <p role="status">Reading the resource from the file…</p>}
      {state.status === 'problem' && (
        <p className="error" role="alert">
          {state.message}
        </p>
      )}
      {state.status === 'shown' && (
        <RecordText state={state} location={target.location} markRef={markRef} scrollerRef={scrollerRef} />
      )}
    </section>
  );
}

function RecordText({
  state,
  location,
  markRef,
  scrollerRef,
}: {
  state: Extract<ViewState, { status: 'shown' }>;
  location: string;
  markRef: React.RefObject<HTMLElement | null>;
  scrollerRef: React.RefObject<HTMLElement | null>;
}) {
  const { view, json } = state;
  const before = view.lines.slice(0, view.highlight.from).join('\n');
  const marked = view.lines.slice(view.highlight.from, view.highlight.to + 1).join('\n');
  const after = view.lines.slice(view.highlight.to + 1).join('\n');
  return (
    <>
      <p className="hint">
        {!json
          ? 'This text is not valid JSON; the line with the error is highlighted.'
          : view.shownLocation === location || location === ''
            ? `Highlighted: ${view.shownLocation}.`
            : `${location} is not in the resource; highlighted: ${view.shownLocation}, where it belongs.`}
        {view.excerptOf
          ? ` Shown: ${view.excerptOf}${view.firstLine ? `, from line ${formatCount(view.firstLine)}` : ''} (the whole resource is too long to show).`
          : ''}
      </p>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take keyboard focus to be scrolled without a mouse */}
      <section className="fhir-record" ref={scrollerRef} tabIndex={0} aria-label={SCROLL_LABEL}>
        <pre>
          <code>
            {before}
            {before ? '\n' : ''}
            <mark ref={markRef}>{marked}</mark>
            {after ? '\n' : ''}
            {after}
          </code>
        </pre>
      </section>
    </>
  );
}
