/**
 * `preflight contract sql <contract.json> [--dialect duckdb|postgres|snowflake|spark|trino]
 * [--table name] [--key column]... [--references column=table.column]... [--aggregate]`: prints the
 * SQL that runs a column contract's checks where the extracts already live (docs/scale.md): the
 * header against the contract's columns, each check counted per rule × column with its first
 * failing rows, as `preflight validate` reports them, then repeated keys and orphan references.
 * `--aggregate` prints instead the one aggregate query `validate` sends a table's engine (counts,
 * first failing rows, column profiles). A keyword the SQL cannot express is named, with exit 2:
 * the contract then needs the default engine.
 */
import { compilePlan, expectedHeaderOf, isColumnContract } from '../../core/contract/index.ts';
import {
  contractAggregateScript,
  contractSqlScript,
  SQL_DIALECTS,
  SqlCompileError,
  type SqlDialect,
} from '../../core/sql/index.ts';
import {
  type CliIo,
  type Command,
  EXIT_OK,
  EXIT_USAGE,
  type ParsedArgs,
  UsageError,
  writeData,
} from '../command.ts';
import { readSmallJsonFile } from '../openFiles.ts';

/** A contract is a small JSON file; anything larger is not one. */
const MAX_CONTRACT_BYTES = 16 * 1024 * 1024;

class Unusable extends Error {}

export const contractSqlCommand: Command = {
  name: 'contract sql',
  summary: "print a column contract's checks as SQL for DuckDB, PostgreSQL, Snowflake, Spark or Trino",
  operands: '<contract.json>',
  options: [
    {
      name: 'dialect',
      type: 'string',
      valueName: SQL_DIALECTS.join('|'),
      description: 'the SQL engine to write for (default duckdb)',
    },
    {
      name: 'table',
      type: 'string',
      valueName: 'name',
      description: 'the table or view holding the extract (default extract)',
    },
    {
      name: 'key',
      type: 'string',
      multiple: true,
      valueName: 'column',
      description: 'a record key column: a query lists the records that share a key',
    },
    {
      name: 'references',
      type: 'string',
      multiple: true,
      valueName: 'column=table.column',
      description: "a column and the other table's key it refers to: a query lists orphans",
    },
    {
      name: 'aggregate',
      type: 'boolean',
      description:
        'print the one aggregate query a check sends the table instead (PostgreSQL, Snowflake, Spark, Trino)',
    },
  ],
  description: [
    'Prints SQL that counts, per contract rule and column, the records that fail and their first',
    'rows, and the records with any failure: the checks `preflight validate` runs, for an engine',
    "where the extract already is. Before them, a query compares the table's columns with the",
    "contract's (not for Spark); after them, one query per --key and per --references. The table",
    "needs every column as text and preflight_row, the record's 1-based data row (docs/scale.md",
    'says how to make it on each engine). Snowflake, Spark and Trino SQL is generated and documented,',
    'not run by Preflight. With --aggregate: the one query per table that `validate --engine` sends',
    "(records, each check's failing records and first rows, column profiles), as golden files hold it.",
  ].join('\n'),
  notes:
    'Exit codes: 0 printed; 2 bad usage, a contract that cannot be read, or a contract keyword the SQL cannot express (the message names it and its column).',
  examples: [
    {
      args: ['samples/contracts/patients.contract.json', '--dialect', 'postgres'],
      does: "the patients contract's checks as PostgreSQL",
      exits: 0,
    },
    {
      args: ['samples/contracts/patients.contract.json', '--dialect', 'snowflake', '--aggregate'],
      does: "the patients contract's one aggregate query for Snowflake",
      exits: 0,
    },
  ],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    if (args.operands.length !== 1) throw new UsageError('give one column contract (a JSON file)');
    const dialect = args.string('dialect') ?? 'duckdb';
    if (!(SQL_DIALECTS as readonly string[]).includes(dialect)) {
      throw new UsageError(`--dialect must be one of ${SQL_DIALECTS.join(', ')}`);
    }
    const table = args.string('table') ?? 'extract';
    if (table === '') throw new UsageError('--table needs a name');
    const keys = args.strings('key');
    if (keys.some((k) => k === '')) throw new UsageError('--key needs a column name');
    const references = args.strings('references').map(parseReference);
    const file = args.operands[0] as string;
    try {
      const contract = await readSmallJsonFile(
        file,
        io.cwd,
        { what: 'contract', tooLargeFor: 'a column contract', maxBytes: MAX_CONTRACT_BYTES },
        (message) => new Unusable(message),
      );
      if (!isColumnContract(contract)) {
        throw new Unusable(`"${file}" is not a column contract (a JSON Schema of one row's columns).`);
      }
      const header = expectedHeaderOf(contract);
      if (args.flag('aggregate') && dialect === 'duckdb')
        throw new UsageError(
          '--aggregate is written for postgres, snowflake, spark and trino; for DuckDB print the checks without it',
        );
      if (args.flag('aggregate') && (keys.length > 0 || references.length > 0))
        throw new UsageError('--aggregate prints the checks of one table: leave out --key and --references');
      writeData(
        io,
        args.flag('aggregate')
          ? contractAggregateScript(compilePlan(contract), dialect as SqlDialect, table, header.columns)
          : contractSqlScript(compilePlan(contract), dialect as SqlDialect, table, {
              header,
              keys,
              references,
            }),
      );
      return EXIT_OK;
    } catch (error) {
      if (error instanceof Unusable) {
        io.stderr(`preflight contract sql: ${error.message}`);
        return EXIT_USAGE;
      }
      if (error instanceof SqlCompileError) {
        io.stderr(`preflight contract sql: "${file}": ${error.message}.`);
        return EXIT_USAGE;
      }
      throw error;
    }
  },
};

/** `column=table.column` as a reference; the parent's table is everything before its last dot. */
function parseReference(text: string): { column: string; parent: { table: string; column: string } } {
  const equals = text.indexOf('=');
  const target = text.slice(equals + 1);
  const dot = target.lastIndexOf('.');
  if (equals <= 0 || dot <= 0 || dot === target.length - 1) {
    throw new UsageError(
      `--references "${text}" is not column=table.column (e.g. patient_id=patients.patient_id)`,
    );
  }
  return {
    column: text.slice(0, equals),
    parent: { table: target.slice(0, dot), column: target.slice(dot + 1) },
  };
}
