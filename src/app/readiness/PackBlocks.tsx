/**
 * The printed evidence pack's blocks as semantic HTML: a title is a level-2 heading, a heading a
 * level-3 one, a paragraph a paragraph (flagged when the meeting must see it first), a list a
 * list and a table a captioned table with column headers and the PDF's column widths, its first
 * cell heading the row. The blocks are the core's `packDocument`, the same the CLI lays out as a
 * PDF, so the two print the same words; this only lays them out. What the browser shows beyond
 * them is given as `after`, placed after the block whose id it names; a page break closes the
 * summary section.
 */
import type { ReactNode } from 'react';
import type { PackBlock } from '../../core/readiness/index.ts';
import { TableScroll } from '../common/TableScroll.tsx';

/** Marks an element rendered from a block, so its text can be read back block by block. */
export const PACK_BLOCK_ATTRIBUTE = 'data-pack-block';

function named(id: string | undefined, className = ''): Record<string, string> {
  const classes = [id ? `pack-${id}` : '', className].filter(Boolean).join(' ');
  return {
    [PACK_BLOCK_ATTRIBUTE]: '',
    ...(id ? { 'data-testid': `pack-${id}` } : {}),
    ...(classes ? { className: classes } : {}),
  };
}

function Block({ block }: { block: Exclude<PackBlock, { kind: 'page-break' }> }) {
  switch (block.kind) {
    case 'title':
      return (
        <h2 {...named(block.id)} {...(block.id ? { id: `pack-${block.id}`, tabIndex: -1 } : {})}>
          {block.text}
        </h2>
      );
    case 'heading':
      return (
        <h3 {...named(block.id)} {...(block.id ? { id: `pack-${block.id}` } : {})}>
          {block.text}
        </h3>
      );
    case 'paragraph':
      return <p {...named(block.id, block.flag ? 'pack-flag' : '')}>{block.text}</p>;
    case 'list':
      return (
        <ul {...named(undefined)} {...(block.label ? { 'aria-label': block.label } : {})}>
          {block.items.map((item, i) => (
            // items may repeat (two risks in the same words); the list never reorders
            // biome-ignore lint/suspicious/noArrayIndexKey: the items never reorder
            <li key={i}>{item}</li>
          ))}
        </ul>
      );
    case 'table':
      return (
        <TableScroll label={block.caption}>
          <table {...named(block.id)}>
            <caption>{block.caption}</caption>
            {/* the columns' shares of the width, as the PDF lays them out */}
            <colgroup>
              {block.widths.map((w, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the columns never reorder
                <col key={i} style={{ width: `${Math.round(w * 100)}%` }} />
              ))}
            </colgroup>
            <thead>
              <tr>
                {block.columns.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {block.rows.map((row, r) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: the rows never reorder
                <tr key={r}>
                  {row.map((cell, c) =>
                    c === 0 ? (
                      // biome-ignore lint/suspicious/noArrayIndexKey: the cells never reorder
                      <th key={c} scope="row">
                        {cell}
                      </th>
                    ) : (
                      // biome-ignore lint/suspicious/noArrayIndexKey: the cells never reorder
                      <td key={c}>{cell}</td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      );
  }
}

/** A block and what the browser places after it. */
function Placed({ block, after }: { block: Exclude<PackBlock, { kind: 'page-break' }>; after: ReactNode }) {
  return (
    <>
      <Block block={block} />
      {after}
    </>
  );
}

/**
 * The blocks (see the header) as sections split at each page break: the first is the summary
 * (`pack-summary`, labelled by the first title), the rest the evidence (`pack-evidence`).
 * `after[id]` is shown after the block with that id; `after['summary-end']` ends the summary.
 */
export function PackBlocks({
  blocks,
  after = {},
}: {
  blocks: readonly PackBlock[];
  after?: Readonly<Record<string, ReactNode>>;
}) {
  const sections: Exclude<PackBlock, { kind: 'page-break' }>[][] = [[]];
  for (const block of blocks) {
    if (block.kind === 'page-break') sections.push([]);
    else sections[sections.length - 1]?.push(block);
  }
  return (
    <>
      {sections.map((section, s) => {
        const title = section.find((b) => b.kind === 'title' && b.id);
        const titleId = title && 'id' in title && title.id ? `pack-${title.id}` : undefined;
        return (
          <section
            // biome-ignore lint/suspicious/noArrayIndexKey: the sections never reorder
            key={s}
            className={s === 0 ? 'pack-summary' : 'pack-evidence'}
            {...(titleId ? { 'aria-labelledby': titleId } : {})}
          >
            {section.map((block, b) => (
              <Placed
                // biome-ignore lint/suspicious/noArrayIndexKey: the blocks never reorder
                key={b}
                block={block}
                after={'id' in block && block.id ? after[block.id] : undefined}
              />
            ))}
            {s === 0 ? after['summary-end'] : undefined}
          </section>
        );
      })}
    </>
  );
}
