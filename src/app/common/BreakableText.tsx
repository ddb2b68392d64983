import { Fragment } from 'react';
import { breakablePieces } from './breakableText.ts';

/**
 * Text that wraps only where {@link breakablePieces} allows (with `overflow-wrap: break-word` on
 * its cell, not `anywhere`): values, column names and field paths in the review's tables.
 */
export function BreakableText({ text, camelCase = false }: { text: string; camelCase?: boolean }) {
  const pieces = breakablePieces(text, { camelCase });
  return (
    <>
      {pieces.map((piece, i) => (
        // the pieces of one text never reorder: their position is their identity
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <Fragment key={i}>
          {i > 0 && <wbr />}
          {piece}
        </Fragment>
      ))}
    </>
  );
}
