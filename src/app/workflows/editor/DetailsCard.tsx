/** The editor's details (inspector): a card over the canvas's right edge on a wide window. */
import { type ReactNode, type Ref, useState } from 'react';
import { PanelToggle } from './PanelToggle.tsx';

/**
 * The details of the selection, hidden or shown by the person (PanelToggle). With nothing
 * selected they are the workflow's own settings, folded to one line ("Workflow settings") until
 * asked for, as bpmn.io shows a process's properties: a card that covers part of the diagram is
 * only there for something the person chose. Read-only details are one disabled fieldset.
 */
export function DetailsCard(props: {
  shown: boolean;
  onToggle: (shown: boolean) => void;
  nothingSelected: boolean;
  readOnly: boolean;
  cardRef?: Ref<HTMLElement>;
  children: ReactNode;
}) {
  const { shown, nothingSelected, readOnly, children } = props;
  const [settingsOpen, setSettingsOpen] = useState(false);
  const folded = shown && nothingSelected && !settingsOpen;
  return (
    <aside
      className={`wf-inspector${folded ? ' wf-inspector-folded' : ''}`}
      aria-label="Inspector"
      ref={props.cardRef}
    >
      {shown && nothingSelected && (
        // the settings' one heading: a disclosure button inside it, as an accordion's
        <h3 className="wf-settings-heading">
          <button
            type="button"
            className="wf-settings-toggle"
            aria-expanded={settingsOpen}
            {...(settingsOpen ? { 'aria-controls': 'wf-inspector-body' } : {})}
            onClick={() => setSettingsOpen(!settingsOpen)}
          >
            Workflow settings
          </button>
        </h3>
      )}
      <PanelToggle
        shown={shown}
        name="Details"
        {...(folded ? {} : { controls: 'wf-inspector-body' })}
        onToggle={props.onToggle}
      />
      {shown && !folded && readOnly && (
        // disabled as one: every field shows its value and none takes a change
        <fieldset id="wf-inspector-body" className="wf-inspector-fields" disabled>
          <legend className="visually-hidden">Details of the selection, not to be changed here</legend>
          {children}
        </fieldset>
      )}
      {shown && !folded && !readOnly && <div id="wf-inspector-body">{children}</div>}
    </aside>
  );
}
