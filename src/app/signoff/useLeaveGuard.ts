/**
 * Holds the reviewer on the review while something of hers is not on the team server: closing or
 * reloading the tab asks the browser's own question (`beforeunload`), and a click that leaves the
 * review inside the app (a link to another place, or a control marked `data-leaves-review`) is
 * held until she says "Leave anyway" — her decisions stay stored on this computer and are sent
 * when she opens the review again, but she is told before she goes, never after.
 *
 * Constraint: the click is held in the capture phase, before the app's own link handling, and let
 * through again by clicking the same element once more with the guard stood down.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

/** What leaves the review: links to another place in the app, and controls marked so. */
const LEAVING = 'a[href^="#"], [data-leaves-review]';

/** The guard while `holding`: the held click, if any, with how to stay or go on. */
export function useLeaveGuard(holding: boolean): {
  held: boolean;
  stay: () => void;
  leave: () => void;
} {
  const [held, setHeld] = useState<HTMLElement | undefined>();
  const letThrough = useRef(false);
  useEffect(() => {
    if (!holding) {
      setHeld(undefined);
      return;
    }
    const onClick = (event: MouseEvent) => {
      if (letThrough.current) return;
      const target = event.target instanceof Element ? event.target.closest<HTMLElement>(LEAVING) : null;
      if (!target) return;
      // a new tab or window leaves nothing
      if (target instanceof HTMLAnchorElement && (event.metaKey || event.ctrlKey || event.shiftKey)) return;
      event.preventDefault();
      event.stopPropagation();
      setHeld(target);
    };
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = '';
    };
    document.addEventListener('click', onClick, true);
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      document.removeEventListener('click', onClick, true);
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, [holding]);
  const stay = useCallback(() => setHeld(undefined), []);
  const leave = useCallback(() => {
    const target = held;
    setHeld(undefined);
    if (!target) return;
    letThrough.current = true;
    try {
      target.click();
    } finally {
      letThrough.current = false;
    }
  }, [held]);
  return { held: held !== undefined, stay, leave };
}
