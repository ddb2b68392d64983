/** The editor's keyboard shortcuts, listed below the diagram. */

/** Every shortcut of the editor, in a disclosure. */
export function KeyboardShortcuts() {
  return (
    <details className="wf-shortcuts">
      <summary>Keyboard shortcuts</summary>
      <dl>
        <dt>Tab</dt>
        <dd>Go from step to step, lane by lane</dd>
        <dt>Alt + arrow keys</dt>
        <dd>
          Go to the next or previous step along the flow (right, left), or to a step in the lane above or
          below
        </dd>
        <dt>A</dt>
        <dd>Add a step after the selected one, connected from it, in a lane of your choice</dd>
        <dt>C</dt>
        <dd>Connect the selected step to another one, found by typing its name</dd>
        <dt>Left and right arrows</dt>
        <dd>Move the selected steps along their lane (with Shift: further)</dd>
        <dt>Up and down arrows</dt>
        <dd>Move the selected steps to the lane above or below</dd>
        <dt>Enter</dt>
        <dd>Edit the focused step or flow in the inspector</dd>
        <dt>Delete or Backspace</dt>
        <dd>
          Remove the selected steps or the focused flow (in Tab order the flows come before the lanes and
          steps)
        </dd>
        <dt>Control + A (Command + A)</dt>
        <dd>Select all steps</dd>
        <dt>Control + Z, Control + Shift + Z</dt>
        <dd>Undo, redo</dd>
        <dt>Control + C, V, D</dt>
        <dd>Copy, paste, duplicate the selected steps</dd>
        <dt>Z</dt>
        <dd>Zoom to the selected steps, with their lanes, at a readable size</dd>
        <dt>Escape</dt>
        <dd>Clear the selection</dd>
      </dl>
    </details>
  );
}
