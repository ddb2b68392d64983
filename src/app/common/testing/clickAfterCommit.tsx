import { useLayoutEffect } from 'react';

/**
 * A click on a link to `hash` handled after this render was committed and before its effects ran,
 * as the browser runs an input event before the task React left its effects to.
 */
export function ClickAfterCommit({ hash }: { hash: string }) {
  useLayoutEffect(() => {
    window.location.hash = hash;
  }, [hash]);
  return null;
}
