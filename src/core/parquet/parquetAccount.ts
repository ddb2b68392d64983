/**
 * The reader account of a Parquet file (core readerAccount): every top-level column the reader
 * turns into a column of text, and every physical, converted and logical type in its schema,
 * each either read exactly (`used`), read by a stated choice (`interpreted`: INT96 by its writer's
 * convention, a decimal inside a list as a floating-point number) or not read (`not-used`).
 *
 * Names in the account: a column by its name, a type as the footer spells it (`INT96`,
 * `FIXED_LEN_BYTE_ARRAY`, `DECIMAL`, `TIMESTAMP`, `LIST`), so a corpus test can walk a footer on
 * its own and hold that every name it finds is accounted for (`unaccounted`).
 *
 * Constraint: the account names columns and types, never a value.
 */
import type { FileMetaData, SchemaElement } from 'hyparquet';
import { createAccount, type ReaderAccount } from '../readerAccount/index.ts';
import { descendants, type Int96Reading, int96Convention } from './cellText.ts';

/**
 * Types a nested column (a list, a map, a struct) holds that the reader does not render exactly:
 * the value is written into the column's JSON as hyparquet decodes it. What that does, in words.
 */
const NESTED_INEXACT: Readonly<Record<string, string>> = {
  DECIMAL:
    'decimals inside a list, map or struct are read as floating-point numbers: a value with more than 15 significant digits may lose its last digits',
  TIMESTAMP:
    'timestamps inside a list, map or struct are read as UTC instants (with Z), whatever the file says',
  INT96: 'INT96 timestamps inside a list, map or struct are read as UTC instants (with Z)',
};

/** Types read into another notation than the file's (the value kept, its form chosen here). */
const READ_AS: Readonly<Record<string, string>> = {
  GEOMETRY: 'geometries are read as GeoJSON text, not as the file stores them (well-known binary)',
  GEOGRAPHY: 'geographies are read as GeoJSON text, not as the file stores them (well-known binary)',
};

/** The names of an element's types: physical, converted and logical, as the footer spells them. */
export function typeNames(element: SchemaElement): string[] {
  const names: string[] = [];
  if (element.type !== undefined) names.push(element.type);
  if (element.converted_type !== undefined) names.push(element.converted_type);
  if (element.logical_type?.type !== undefined) names.push(element.logical_type.type);
  return [...new Set(names)];
}

/** A Parquet file's account, and the INT96 reading it states. */
export interface ParquetAccount {
  account: ReaderAccount;
  /** how INT96 timestamps are read: as chosen, else by the writer's convention */
  int96: Int96Reading;
}

/**
 * The account of the file whose footer is `metadata`, its INT96 columns read as `int96` says
 * (undefined: by the writer's convention, which the account names).
 */
export function parquetAccount(metadata: FileMetaData, int96?: Int96Reading): ParquetAccount {
  const account = createAccount('parquet');
  const convention = int96Convention(metadata);
  const reading = int96 ?? convention.reading;
  const schema = metadata.schema;
  const children = schema[0]?.num_children ?? 0;
  for (let i = 1, seen = 0; i < schema.length && seen < children; seen++) {
    const column = schema[i] as SchemaElement;
    account.use(column.name);
    const subtree = descendants(schema, i);
    for (let k = i; k <= i + subtree; k++) {
      const element = schema[k] as SchemaElement;
      const nested = k > i;
      for (const type of typeNames(element)) {
        if (type === 'INT96' && !nested) {
          const how =
            reading === 'local'
              ? 'as the wall-clock time the writer recorded, with no time zone'
              : 'as UTC instants (ending in Z)';
          const why =
            int96 === undefined
              ? `the convention of ${convention.writer}, which wrote the file`
              : 'as chosen for this file';
          account.interpreted(
            'type',
            'INT96',
            `INT96 timestamps (column ${column.name}) are read ${how}: ${why}; a date-time check needs a zone, so a wall-clock time fails it`,
            { column: seen + 1 },
          );
          continue;
        }
        const inexact = (nested ? NESTED_INEXACT[type] : undefined) ?? READ_AS[type];
        if (inexact !== undefined) {
          account.interpreted('type', type, inexact, { column: seen + 1 });
          continue;
        }
        account.use(type);
      }
    }
    i += 1 + subtree;
  }
  return { account: account.finish(), int96: reading };
}
