/**
 * Set-up for component tests (`src/app/**\/*.test.tsx`, jsdom): unmounts what each test rendered,
 * and gives jsdom the browser objects it lacks that the screens touch (ResizeObserver, media queries, scrolling,
 * CSS.escape, modal dialogs). jsdom does no layout, so these stand-ins report nothing and change
 * nothing: a component test proves a form's rules, a panel's states and a keyboard map, never
 * sizes or positions (the journeys do).
 */
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';
import { installDialogStandIn } from '../../src/app/common/testing/nativeDialog.ts';
import { forgetTeamReads, pageTeamReads } from '../../src/app/team/teamQuery.ts';
import { forgetWorkflowHistories } from '../../src/app/workflows/editor/workflowHistories.ts';

// findBy… and waitFor wait for a condition; their default bound (1 s) is shorter than a worker's
// round trip or a file read on a loaded machine. The bound only names a hang: a condition that
// holds ends the wait at once, so it is the test timeout's, not a guess at how long work takes.
configure({ asyncUtilTimeout: 25_000 });

// React's act() warnings are for tests that update outside RTL's helpers: say so loudly
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

class NoLayoutResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}
globalThis.ResizeObserver ??= NoLayoutResizeObserver as unknown as typeof ResizeObserver;
// no layout, so no media query matches (the editor asks whether it is on a phone)
window.matchMedia ??= (query: string) =>
  ({
    matches: false,
    media: query,
    onchange: null,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    addListener: () => undefined,
    removeListener: () => undefined,
    dispatchEvent: () => false,
  }) as MediaQueryList;
// no layout, so no scrolling: a screen's scrolling into view does nothing here
Element.prototype.scrollIntoView ??= () => undefined;
// user-event's arrow keys in radio groups call CSS.escape, which jsdom lacks
(globalThis as { CSS?: Partial<typeof CSS> }).CSS ??= {
  escape: (text: string) => text.replace(/[^\w-]/g, (c) => `\\${c}`),
};
// A click on a download link makes jsdom try to navigate, which it cannot ("Not implemented"): a
// browser would save the file. What a test checks is the link and its file, so the navigation is
// stopped (once per process: files share it).
const downloadsStopped = Symbol.for('preflight.test.downloadsStopped');
if (!(downloadsStopped in globalThis)) {
  Object.defineProperty(globalThis, downloadsStopped, { value: true });
  document.addEventListener('click', (event) => {
    if (event.target instanceof Element && event.target.closest('a[download]')) event.preventDefault();
  });
}
// `<dialog>` without showModal/close: opened and closed by its attribute and close event
installDialogStandIn();

afterEach(() => {
  cleanup();
  // the undo list of each workflow lives for the tab: each test starts with none
  forgetWorkflowHistories();
  // so does the page's cache of what was read from the team server
  forgetTeamReads(pageTeamReads);
});
