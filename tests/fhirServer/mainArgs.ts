/**
 * The options of `npm run fhir-server`, parsed from its arguments (main.ts starts the server with
 * them): one function, so the flags are tested without starting a process.
 */
import { parseArgs } from 'node:util';

/** What main.ts needs to start the local server. */
export interface FhirServerArgs {
  port: number;
  tokenFile?: string;
  allowOrigins?: string[];
  /** start with no patients instead of the demo clinic's */
  empty: boolean;
  /** offer bulk data `$export` (advertised in the CapabilityStatement), as a server with it does */
  bulkExport: boolean;
}

/** How to call it, for an error. */
export const FHIR_SERVER_USAGE =
  'npm run fhir-server [-- --port 8103] [--token-file f] [--allow-origin http://localhost:4173] [--empty] [--bulk-export]';

/**
 * Parses the arguments after `npm run fhir-server --`.
 * @throws an Error saying which argument is wrong and how to call it
 */
export function parseFhirServerArgs(args: readonly string[]): FhirServerArgs {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(args).values;
  } catch (error) {
    throw new Error(`fhir-server: ${(error as Error).message}\nUsage: ${FHIR_SERVER_USAGE}`);
  }
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535)
    throw new Error('fhir-server: --port must be a number from 0 to 65535');
  return {
    port,
    ...(values['token-file'] ? { tokenFile: values['token-file'] } : {}),
    ...(values['allow-origin'] ? { allowOrigins: values['allow-origin'] } : {}),
    empty: values.empty,
    bulkExport: values['bulk-export'],
  };
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    options: {
      port: { type: 'string', default: '8103' },
      'token-file': { type: 'string' },
      'allow-origin': { type: 'string', multiple: true },
      empty: { type: 'boolean', default: false },
      'bulk-export': { type: 'boolean', default: false },
    },
    strict: true,
  });
}
