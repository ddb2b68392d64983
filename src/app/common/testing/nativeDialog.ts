/**
 * Test-only: jsdom has `<dialog>` (its `open` attribute hides it) but not `showModal()` or `close()`.
 * This stand-in opens and closes it as the attribute and the `close` event say, and nothing more:
 * focus trapping, Escape and the inert background are the browser's, proved by the journeys.
 */

/** Gives jsdom's `HTMLDialogElement` `show`, `showModal` and `close`; does nothing where they exist. */
export function installDialogStandIn(): void {
  const proto = HTMLDialogElement.prototype;
  if (typeof proto.showModal === 'function') return;
  const open = function (this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };
  proto.show = open;
  proto.showModal = open;
  proto.close = function (this: HTMLDialogElement, returnValue?: string) {
    if (!this.hasAttribute('open')) return;
    if (returnValue !== undefined) this.returnValue = returnValue;
    this.removeAttribute('open');
    this.dispatchEvent(new Event('close'));
  };
}
