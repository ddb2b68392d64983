import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readContractFile } from '../../src/app/migration/CheckExtracts.tsx';
import { runCli } from '../../src/cli/cliTestKit.ts';
import { createValidateApi } from '../../workers/validateApi.ts';

// Browser = CLI: the same bad contract gives the same words (what, where, what to do) from
// `preflight validate --schema` and on the Migration screen — when the file is chosen
// (CheckExtracts.tsx `readContractFile`), or, for a JSON Schema that does not compile, when its
// validator worker compiles it.

const CSV = 'id,code\n1,ABC\n';
const LAYOUT = { encoding: 'utf-8', delimiter: ',', quote: '"', header: true, lineEnding: '\n' } as const;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'preflight-contract-words-'));
  await writeFile(path.join(dir, 'codes.csv'), CSV);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What `preflight validate codes.csv --schema <name>` says of the contract (exit 2). */
async function cliSays(name: string, bytes: Uint8Array): Promise<string> {
  await writeFile(path.join(dir, name), bytes);
  const { code, err } = await runCli(['validate', 'codes.csv', '--schema', name], dir);
  expect(code).toBe(2);
  return err.replace(/^preflight validate: /, '');
}

const text = (t: string) => new TextEncoder().encode(t);

describe('a bad contract, said the same by the CLI and the page', () => {
  it.each([
    { what: 'not UTF-8', bytes: new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]), says: /line 1, byte 2/ },
    { what: 'not JSON', bytes: text('{\n  "type": "object",\n}'), says: /line 3, column 1/ },
    { what: 'neither kind of schema', bytes: text('[1, 2]'), says: /not a column contract/ },
    {
      what: 'a Table Schema that cannot be converted',
      bytes: text('{"fields": [{"name": "id", "type": "no-such-type"}]}'),
      says: /\/fields\/0\/type/,
    },
  ])('when the file is read: $what', async ({ bytes, says }) => {
    const name = 'bad.json';
    const page = await readContractFile(new File([bytes], name) as unknown as globalThis.File);
    const cli = await cliSays(name, bytes);
    expect('message' in page ? page.message : '').toBe(cli);
    expect(cli).toMatch(says);
    // what to do follows what is wrong
    expect(cli).toMatch(/\. [A-Z][^.]*(choose|Choose|Correct|Save|ask)/);
  });

  it('when its JSON Schema does not compile', async () => {
    const schema = { type: 'object', properties: { code: { type: 'string', minLength: 'three' } } };
    const cli = await cliSays('bad.json', text(JSON.stringify(schema)));
    const api = createValidateApi();
    const outcome = await api.validateFile(
      'job',
      {
        file: new Blob([CSV]),
        name: 'codes.csv',
        layout: LAYOUT,
        keys: [],
        references: [],
        contract: { name: 'bad.json', schema },
      },
      () => {},
    );
    if (outcome.ok || !('problem' in outcome)) throw new Error('expected the contract refused');
    expect(`${outcome.problem.message} ${outcome.problem.advice}`).toBe(cli);
    expect(cli).toMatch(/\/properties\/code\/minLength/);
    expect(outcome.problem.schemaPaths).toEqual(['/properties/code/minLength']);
  });
});
