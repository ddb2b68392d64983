/**
 * `preflight contract sql <contract.json> [--dialect duckdb|postgres|spark|trino] [--table name]`:
 * prints the SQL that runs a column contract's checks where the extracts already live
 * (docs/scale.md). Each check is counted per rule × column with its first failing rows, as
 * `preflight validate` reports them. A keyword the SQL cannot express is named, with exit 2: the
 * contract then needs the default engine.
 */
import { compilePlan, isColumnContract } from '../../core/contract/index.ts';
import { contractSqlScript, SQL_DIALECTS, SqlCompileError, type SqlDialect } from '../../core/sql/index.ts';
import { type CliIo, type Command, EXIT_OK, EXIT_USAGE, type ParsedArgs, UsageError } from '../command.ts';
import { readSmallJsonFile } from '../openFiles.ts';

/** A contract is a small JSON file; anything larger is not one. */
const MAX_CONTRACT_BYTES = 16 * 1024 * 1024;

class Unusable extends Error {}

export const contractSqlCommand: Command = {
  name: 'contract sql',
  summary: "print a column contract's checks as SQL for DuckDB, PostgreSQL, Spark or Trino",
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
  ],
  description: [
    'Prints SQL that counts, per contract rule and column, the records that fail and their first',
    'rows, and the records with any failure: the checks `preflight validate` runs, for an engine',
    'where the extract already is. The table needs every column as text and preflight_row, the',
    "record's 1-based data row (docs/scale.md says how to make it on each engine). Spark and Trino",
    'SQL is generated and documented, not run by Preflight.',
  ].join('\n'),
  notes:
    'Exit codes: 0 printed; 2 bad usage, a contract that cannot be read, or a contract keyword the SQL cannot express (the message names it and its column).',
  examples: [
    {
      args: ['samples/contracts/patients.contract.json', '--dialect', 'postgres'],
      does: "the patients contract's checks as PostgreSQL",
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
      io.stdout(contractSqlScript(compilePlan(contract), dialect as SqlDialect, table));
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
