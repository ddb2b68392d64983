/**
 * Small line icons for media and kinds. Drawn as SVG paths here (no icon font, no remote
 * assets: the CSP allows only our own files). Decorative: the text beside each says the same.
 */
import type { ReactNode } from 'react';
import { type GatewayKind, isGateway, type StepKind, type StepMedium } from '../../../formats/workflow.ts';

/** SVG path data per non-digital medium, on a 16 × 16 grid; shared with the SVG export. */
export const MEDIUM_ICON_PATHS: Readonly<Record<Exclude<StepMedium, 'digital'>, string>> = {
  // a sheet with a folded corner and two lines of text
  paper: 'M4 1.5h5.5L12.5 4.5V14.5H4Z M9.5 1.5V4.5H12.5 M6 8h4.5 M6 10.5h4.5',
  // a machine with a sheet coming out
  fax: 'M2 7h12v6H2Z M4.5 7V2h6v5 M4 10h2 M8 10h4',
  // a handset
  phone:
    'M4 2l2.5 0.5 1 3-1.5 1.2c.8 1.7 2 2.9 3.7 3.7l1.2-1.5 3 1L14 12.5c0 1-1 1.5-2 1.5C7 13.5 2.5 9 2 4c0-1 .8-2 2-2Z',
  // a speech bubble
  verbal: 'M2 3h12v7.5H7L4 13.5V10.5H2Z',
};

/** Hourglass for wait steps (16 × 16). */
export const HOURGLASS_PATH =
  'M4 1.5h8 M4 14.5h8 M5 1.5c0 4 6 4 6 6.5s-6 2.5-6 6.5 M11 1.5c0 4-6 4-6 6.5s6 2.5 6 6.5';
/** The parallel gateway's marker, a plus (16 × 16), as BPMN draws it. */
export const PLUS_PATH = 'M8 2.5v11 M2.5 8h11';
/** The inclusive gateway's marker, a circle (16 × 16), as BPMN draws it. */
export const CIRCLE_PATH = 'M8 2.5a5.5 5.5 0 1 0 0.01 0Z';

/** Check mark for approvals (16 × 16). */
export const CHECK_PATH = 'M3 8.5l3.2 3.2L13 4.5';

/** An icon from a 16 × 16 path; hidden from assistive technology. */
export function PathIcon({ d, className }: { d: string; className?: string }) {
  return (
    <svg
      viewBox="0 0 16 16"
      width="16"
      height="16"
      aria-hidden="true"
      focusable="false"
      className={className}
    >
      <path
        d={d}
        fill="none"
        stroke="currentColor"
        strokeWidth="1.5"
        strokeLinejoin="round"
        strokeLinecap="round"
      />
    </svg>
  );
}

/** A gateway's BPMN marker: a plus for parallel, a circle for inclusive. */
export function GatewayMarker({ kind }: { kind: GatewayKind }) {
  return <PathIcon d={kind.startsWith('parallel') ? PLUS_PATH : CIRCLE_PATH} />;
}

/**
 * A step kind's shape as the palettes and the legend draw it beside the kind's name, with a
 * gateway's marker; `children`: more marks inside it (the legend's approval and wait icons).
 */
export function StepKindShape({ kind, children }: { kind: StepKind; children?: ReactNode }) {
  return (
    <span className={`wf-legend-shape wf-legend-${kind}`} aria-hidden="true">
      {children}
      {isGateway(kind) && <GatewayMarker kind={kind} />}
    </span>
  );
}
