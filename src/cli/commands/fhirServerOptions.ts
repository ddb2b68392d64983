/**
 * What `preflight fhir pull` and `preflight fhir reconcile` share: the server options, reading the
 * token file, and printing a {@link FhirServerError} (what happened, then what to do).
 */

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { connectFhirServer, DEFAULT_TIMEOUT_MS, type FhirConnection } from '../../fhir/connection.ts';
import { FhirServerError } from '../../fhir/errors.ts';
import { type CliIo, type OptionSpec, type ParsedArgs, UsageError } from '../command.ts';
import { terminalText } from '../terminalText.ts';

/** The options of every `fhir` command that talks to a server. */
export const SERVER_OPTIONS: readonly OptionSpec[] = [
  { name: 'server', type: 'string', valueName: 'url', description: 'the FHIR R4 base URL', required: true },
  {
    name: 'token-file',
    type: 'string',
    valueName: 'file',
    description: 'a file holding a bearer access token (never give a token on the command line)',
  },
  {
    name: 'token-env',
    type: 'string',
    valueName: 'VAR',
    description: 'the environment variable holding a bearer access token (e.g. from a CI secret)',
  },
  {
    name: 'timeout',
    type: 'string',
    valueName: 'seconds',
    description: `give up on a request after this long (default ${DEFAULT_TIMEOUT_MS / 1000})`,
  },
];

/** A problem the user fixes (bad token file, server failure): printed, exit 2. */
export class FhirCommandError extends Error {
  override name = 'FhirCommandError';
}

/**
 * fhir-kit-client's debug logging prints request bodies and the Authorization header when the
 * DEBUG environment variable names it; refuse to run rather than leak records and tokens.
 */
function refuseDebugLogging(): void {
  const debug = process.env.DEBUG ?? '';
  if (/(^|[,\s])(\*|fhir-kit-client[^,\s]*)/.test(debug)) {
    throw new FhirCommandError(
      'the DEBUG environment variable turns on the FHIR client’s logging, which would print access tokens and patient records. Unset DEBUG (or leave fhir-kit-client out of it) and run again.',
    );
  }
}

/** Connects with the command's options. */
export async function connectFromArgs(
  args: ParsedArgs,
  io: CliIo,
  signal?: AbortSignal,
): Promise<FhirConnection> {
  refuseDebugLogging();
  const server = args.requiredString('server');
  const timeoutText = args.string('timeout');
  const timeoutSeconds = timeoutText === undefined ? DEFAULT_TIMEOUT_MS / 1000 : Number(timeoutText);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0 || timeoutSeconds > 3600) {
    throw new UsageError('--timeout must be a number of seconds from 1 to 3600');
  }
  const tokenFile = args.string('token-file');
  const tokenEnv = args.string('token-env');
  let token: string | undefined;
  if (tokenFile !== undefined && tokenEnv !== undefined) {
    throw new UsageError('give the access token with --token-file or --token-env, not both');
  }
  if (tokenEnv !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(tokenEnv)) {
      throw new UsageError(
        '--token-env takes the name of an environment variable, e.g. --token-env FHIR_TOKEN',
      );
    }
    token = process.env[tokenEnv]?.trim();
    if (!token || /\s/.test(token)) {
      throw new FhirCommandError(
        `the environment variable ${tokenEnv} must hold one access token (it is not set, empty, or has spaces inside).`,
      );
    }
  }
  if (tokenFile !== undefined) {
    try {
      token = (await readFile(path.resolve(io.cwd, tokenFile), 'utf8')).trim();
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new FhirCommandError(
        `cannot read the token file "${tokenFile}"${typeof code === 'string' ? ` (${code})` : ''}. Check the path and its permissions.`,
      );
    }
    if (token === '' || /\s/.test(token)) {
      throw new FhirCommandError(
        `the token file "${tokenFile}" must hold one access token on one line (it is empty or has spaces inside).`,
      );
    }
  }
  return connectFhirServer(
    { baseUrl: server, token, timeoutMs: timeoutSeconds * 1000, refuseRedirects: true },
    signal,
  );
}

/** Prints a failure the user can act on; returns false for anything else (an internal error). */
export function printFailure(command: string, error: unknown, io: CliIo): boolean {
  if (error instanceof FhirServerError) {
    io.stderr(`preflight ${command}: ${error.message}\n  What to do: ${error.advice}`);
    return true;
  }
  if (error instanceof FhirCommandError) {
    io.stderr(`preflight ${command}: ${error.message}`);
    return true;
  }
  return false;
}

/** A progress line on a terminal's stderr, cleared at the end; silent when stderr is not a terminal. */
export function terminalLine(): { show(text: string): void; clear(): void } {
  const tty = process.stderr.isTTY === true;
  let shown = false;
  return {
    show(text) {
      if (!tty) return;
      shown = true;
      process.stderr.write(`\r\x1b[K${terminalText(text)}`);
    },
    clear() {
      if (shown) process.stderr.write('\r\x1b[K');
    },
  };
}
