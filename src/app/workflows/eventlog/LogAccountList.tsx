/**
 * The reader's account beside the map: what the log holds that the figures do not use, or use by
 * a stated choice, each with what it means for the figures (`org:group` not used: lanes come from
 * `org:resource`). Names as the file writes them (React escapes them); never a cell's value.
 */
import { useId } from 'react';
import type { AccountLine, ReaderAccount } from '../../../core/readerAccount/index.ts';
import { formatCount } from '../../common/format.ts';

const KIND_WORDS: Record<AccountLine['kind'], string> = {
  element: 'Element',
  attribute: 'Attribute',
  column: 'Column',
  type: 'Type',
  key: 'Key',
  entry: 'Entry',
};

/** One line: "Column org:group (400 rows): not used: lanes come from …". */
function AccountItem({ line, unit }: { line: AccountLine; unit: string }) {
  return (
    <li>
      <strong>{line.handling === 'not-used' ? 'Not used' : 'Read by a choice'}</strong>:{' '}
      {KIND_WORDS[line.kind]} <code>{line.name === '' ? '(no name)' : line.name}</code> (
      {formatCount(line.count)} {line.count === 1 ? unit : `${unit}s`}): {line.effect}
    </li>
  );
}

/** The account of a log read; nothing when there is none (a result kept from before accounts). */
export function LogAccountList({ account }: { account: ReaderAccount | undefined }) {
  const id = useId();
  if (!account) return null;
  const xes = account.reader === 'xes';
  if (account.lines.length === 0) {
    return (
      <p className="log-note">
        Every {xes ? 'attribute of the log' : 'column of the log'} is used in the figures.
      </p>
    );
  }
  const notUsed = account.lines.filter((line) => line.handling === 'not-used').length;
  return (
    <section className="log-account" aria-labelledby={id}>
      <details>
        <summary id={id}>
          What the log holds that the figures do not use: {formatCount(notUsed)}{' '}
          {xes ? (notUsed === 1 ? 'item' : 'items') : notUsed === 1 ? 'column' : 'columns'}
          {account.lines.length > notUsed
            ? `, and ${formatCount(account.lines.length - notUsed)} read by a choice`
            : ''}
        </summary>
        <ul>
          {account.lines.map((line) => (
            <AccountItem
              key={`${line.handling} ${line.kind} ${line.name}`}
              line={line}
              unit={line.kind === 'column' ? 'row' : 'time'}
            />
          ))}
        </ul>
      </details>
    </section>
  );
}
