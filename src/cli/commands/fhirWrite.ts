/**
 * `preflight fhir write --server <url> [--token-file f] <bundle.json> [--json]`: sends a FHIR R4
 * transaction Bundle (e.g. the sign-off bundle) to a server as one transaction. Every entry must be
 * `PUT Type/id` (checked before anything is sent), so running the command again after a timeout or
 * a dropped connection is safe: the same ids are written again, never duplicated.
 *
 * Output (stdout): a summary for people, or with --json the `TransactionSummary` (counts, and per
 * entry its position, type, id, status, location and version tag — no record content).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { FhirServerError } from '../../fhir/errors.ts';
import { TransactionBundleError, writeTransaction } from '../../fhir/transaction.ts';
import {
  type CliIo,
  type Command,
  EXAMPLE_FHIR_SERVER,
  EXIT_FINDINGS,
  EXIT_OK,
  EXIT_USAGE,
  type ParsedArgs,
  UsageError,
  writeData,
} from '../command.ts';
import { connectFromArgs, FhirCommandError, printFailure, SERVER_OPTIONS } from './fhirServerOptions.ts';

/** Reads the Bundle file; a missing file or bad JSON is the user's to fix (exit 2). */
async function readBundle(file: string, cwd: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path.resolve(cwd, file), 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new FhirCommandError(
      `cannot read "${file}"${typeof code === 'string' ? ` (${code})` : ''}. Check the path.`,
    );
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    // the parser's message gives the position; it may quote a few characters, so only the position is kept
    const at = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new FhirCommandError(
      `"${file}" is not valid JSON${at === undefined ? '' : ` (at character ${at})`}. Export the Bundle again.`,
    );
  }
}

/** The `preflight fhir write` command. */
export const fhirWriteCommand: Command = {
  name: 'fhir write',
  summary: 'send a transaction Bundle (e.g. the sign-off bundle) to a FHIR server, safe to retry',
  operands: '<bundle.json>',
  options: [...SERVER_OPTIONS, { name: 'json', type: 'boolean', description: 'print the result as JSON' }],
  description: [
    'Checks the Bundle is a transaction whose every entry is PUT Type/id (a POST would make a',
    'second copy if sent again, so it is refused), checks the server accepts transactions, then',
    'sends it once. The server applies all of it or none of it. If the answer is lost (timeout,',
    'dropped connection), run the same command again: it rewrites the same records, never duplicates.',
  ].join('\n'),
  notes:
    'Exit codes: 0 written, 1 the server refused the transaction (nothing written) or does not accept transactions, 2 bad usage, a Bundle that is not safe to send, an unreadable file or token, or the server could not be reached, did not answer or failed (5xx): then it is not known whether it applied the transaction, and running the command again is safe.',
  examples: [
    {
      args: ['samples/signoff/patients-by-file.bundle.json', '--server', EXAMPLE_FHIR_SERVER],
      does: 'send the demo sign-off to the local test server (safe to run twice)',
      exits: 0,
    },
  ],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    if (args.operands.length !== 1)
      throw new UsageError('give one Bundle file: fhir write --server <url> <bundle.json>');
    const file = args.operands[0] as string;
    try {
      const bundle = await readBundle(file, io.cwd);
      const connection = await connectFromArgs(args, io);
      const summary = await writeTransaction(connection, bundle);
      if (args.flag('json')) writeData(io, JSON.stringify(summary, null, 2));
      else {
        const parts = [
          `${summary.entries.length} records written to ${new URL(connection.baseUrl).origin} in one transaction`,
          `${summary.created} created, ${summary.updated} updated${summary.unchanged > 0 ? `, ${summary.unchanged} unchanged` : ''}`,
        ];
        io.stdout(`${parts.join(': ')}.`);
      }
      return EXIT_OK;
    } catch (error) {
      if (error instanceof TransactionBundleError) {
        io.stderr(`preflight fhir write: ${file}: ${error.message}\n  Nothing was sent.`);
        return EXIT_USAGE;
      }
      if (!printFailure('fhir write', error, io)) throw error;
      // refused = the server answered no (4xx) or cannot take transactions; a 5xx leaves it unknown
      const refused =
        error instanceof FhirServerError &&
        (error.kind === 'not-supported' ||
          (error.kind === 'server-error' && error.status !== undefined && error.status < 500));
      return refused ? EXIT_FINDINGS : EXIT_USAGE;
    }
  },
};
