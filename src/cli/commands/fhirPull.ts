/**
 * `preflight fhir pull --server <url> [--token-file f] --type Patient [--out file.ndjson] [--page-by-page]`:
 * every resource of one type from a FHIR server, as NDJSON (one resource per line), page by page
 * so memory stays flat. Written to `<out>.partial` first and renamed when complete, so a pull that
 * fails part way never leaves a file that looks complete; the partial file is kept and named. The
 * `.partial` copy is made when the pull starts, so a pull that was killed is named by the next one
 * (wholeFiles.ts).
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { type PullProgress, pullResources } from '../../fhir/pull.ts';
import {
  type CliIo,
  type Command,
  EXAMPLE_FHIR_SERVER,
  EXIT_OK,
  EXIT_USAGE,
  type ParsedArgs,
  UsageError,
  writeData,
} from '../command.ts';
import { claimOutputs, PARTIAL_SUFFIX, settle } from '../wholeFiles.ts';
import { connectFromArgs, printFailure, SERVER_OPTIONS, terminalLine } from './fhirServerOptions.ts';

const RESOURCE_TYPE = /^[A-Z][A-Za-z]{1,63}$/;

/** The `preflight fhir pull` command. */
export const fhirPullCommand: Command = {
  name: 'fhir pull',
  summary: 'download every resource of one type from a FHIR server as NDJSON',
  operands: '',
  options: [
    ...SERVER_OPTIONS,
    {
      name: 'type',
      type: 'string',
      valueName: 'resource type',
      description: 'what to download, e.g. Patient',
      required: true,
    },
    {
      name: 'out',
      type: 'string',
      valueName: 'file.ndjson',
      description: 'write here instead of to standard output',
    },
    { name: 'page-size', type: 'string', valueName: 'n', description: 'records per request (default 500)' },
    {
      name: 'page-by-page',
      type: 'boolean',
      description: 'read with ordinary searches even where the server offers bulk export ($export)',
    },
  ],
  description: [
    'Reads what the server offers, then every resource of --type, following the server’s',
    'next-page links. Writes one resource per line (NDJSON). Progress goes to the terminal.',
    'Uses bulk export ($export) where the server offers it (unless --page-by-page), and says',
    'which way it read.',
  ].join('\n'),
  notes: 'Exit codes: 0 every page read, 2 bad usage, unreadable token file, or the server failed.',
  examples: [
    {
      args: ['--server', EXAMPLE_FHIR_SERVER, '--type', 'Patient'],
      does: 'every Patient of the local test server (npm run fhir-server) as NDJSON',
      exits: 0,
    },
  ],
  async run(args: ParsedArgs, io: CliIo): Promise<number> {
    if (args.operands.length > 0) throw new UsageError('fhir pull takes no file operands; use --out <file>');
    const resourceType = args.requiredString('type');
    if (!RESOURCE_TYPE.test(resourceType)) {
      throw new UsageError('give the resource type with --type, e.g. --type Patient');
    }
    const pageSizeText = args.string('page-size');
    const pageSize = pageSizeText === undefined ? undefined : Number(pageSizeText);
    if (pageSize !== undefined && (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000)) {
      throw new UsageError('--page-size must be a whole number from 1 to 1000');
    }
    const out = args.string('out');
    const line = terminalLine();
    const target = out === undefined ? undefined : path.resolve(io.cwd, out);
    // left in place when the pull fails (it holds what was read) or is killed: the next pull names it
    if (out !== undefined && target !== undefined) await claimOutputs([{ target, shown: out }], io);
    const partial = target === undefined ? undefined : target + PARTIAL_SUFFIX;
    let progress: PullProgress = { pages: 0, resources: 0, total: undefined };
    let note = '';
    let wrote = false;
    try {
      const connection = await connectFromArgs(args, io);
      const offered = connection.capabilities.resources.find((r) => r.type === resourceType);
      if (connection.capabilities.resources.length > 0 && !offered?.interactions.includes('search-type')) {
        io.stderr(
          `preflight fhir pull: the server does not say it can search ${resourceType}; trying anyway.`,
        );
      }
      const sink = partial === undefined ? undefined : createWriteStream(partial);
      const write = async (text: string) => {
        if (!sink) {
          writeData(io, text);
          return;
        }
        wrote = true;
        if (!sink.write(`${text}\n`)) await once(sink, 'drain');
      };
      try {
        const result = await pullResources(connection, {
          resourceType,
          pageSize,
          ...(args.flag('page-by-page') ? { method: 'paging' as const } : {}),
          onPage: async (resources, p) => {
            if (resources.length > 0) await write(resources.map((r) => JSON.stringify(r)).join('\n'));
            line.show(
              `reading ${resourceType}… ${p.resources}${p.total === undefined ? '' : ` of ${p.total}`}`,
            );
          },
        });
        progress = result;
        note = result.note;
      } finally {
        if (sink) {
          sink.end();
          await once(sink, 'close');
        }
      }
      line.clear();
      if (target !== undefined) await settle(target);
      io.stderr(
        `preflight fhir pull: ${progress.resources} ${resourceType} records${out ? ` written to ${out}` : ''}. ${note}`,
      );
      return EXIT_OK;
    } catch (error) {
      line.clear();
      if (!printFailure('fhir pull', error, io)) throw error;
      // the mark made at the start, with nothing read into it, is not worth keeping
      if (partial !== undefined && !wrote) await rm(partial, { force: true });
      else if (partial !== undefined) {
        io.stderr(
          `  The records read so far are in ${path.relative(io.cwd, partial) || partial}; nothing was changed on the server.`,
        );
      }
      return EXIT_USAGE;
    }
  },
};
