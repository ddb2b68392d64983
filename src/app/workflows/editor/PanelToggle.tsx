/** The button that hides or shows one of the editor's side panels (useEditorPanels.ts). */

/**
 * Hides or shows a side panel. Shown: a small "Hide" at the panel's top; hidden: the panel is a
 * narrow rail holding one button with its name, which shows it again.
 */
export function PanelToggle(props: {
  shown: boolean;
  name: string;
  /** the id of what it hides, when that is on the page (a folded card has none) */
  controls?: string;
  onToggle: (shown: boolean) => void;
}) {
  return props.shown ? (
    <button
      type="button"
      className="wf-panel-hide"
      aria-expanded={true}
      {...(props.controls === undefined ? {} : { 'aria-controls': props.controls })}
      aria-label={`Hide ${props.name.toLowerCase()}`}
      onClick={() => props.onToggle(false)}
    >
      Hide
    </button>
  ) : (
    <button
      type="button"
      className="wf-panel-show"
      aria-expanded={false}
      aria-label={`Show ${props.name.toLowerCase()}`}
      onClick={() => props.onToggle(true)}
    >
      <span>{props.name}</span>
    </button>
  );
}
