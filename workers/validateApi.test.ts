import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CsvLayout } from '../src/core/csv/index.ts';
import { groupPositions, type IssueRowGroup } from '../src/core/validation/index.ts';
import { sliceBackedStream } from './testing/sliceBackedStream.ts';
import { layoutOf } from './testing/sniffedLayout.ts';
import {
  createValidateApi,
  type ValidateInputSpec,
  type ValidateOutcome,
  type ValidateRequest,
  type ValidationProgress,
} from './validateApi.ts';
import { runValidation } from './validateRun.ts';

/**
 * A run as the page does it (workers/validateRun.ts), with the worker API called directly: up to
 * `filesAtOnce` files at once; aborting `signal` cancels each file as the pool would.
 */
async function run(
  api: ReturnType<typeof createValidateApi>,
  request: ValidateRequest,
  options: { filesAtOnce?: number; signal?: AbortSignal; onProgress?: (p: ValidationProgress) => void } = {},
): Promise<ValidateOutcome> {
  let n = 0;
  return runValidation(request, {
    filesAtOnce: options.filesAtOnce ?? 1,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    runFile: (task, onProgress) => {
      const id = `file-${n++}`;
      options.signal?.addEventListener('abort', () => api.cancel(id));
      return api.validateFile(id, task, onProgress);
    },
  });
}

const SAMPLES = path.resolve(import.meta.dirname, '../samples');
const blobOf = (file: string) => new Blob([readFileSync(path.join(SAMPLES, file))]);
const contractOf = (name: string) => ({
  id: `contract:${name}`,
  name: `${name}.contract.json`,
  schema: JSON.parse(readFileSync(path.join(SAMPLES, `contracts/${name}.contract.json`), 'utf8')) as Record<
    string,
    unknown
  >,
});

/**
 * A file whose read starting at byte `gateAt` waits for `open()`; `reached` resolves when that read
 * starts and `starts` lists where every read began.
 */
class GatedBlob extends Blob {
  readonly starts: number[] = [];
  readonly reached: Promise<void>;
  readonly open: () => void;
  private readonly gate: Promise<void>;
  private reach: () => void = () => {};

  constructor(
    parts: BlobPart[],
    private readonly gateAt: number,
  ) {
    super(parts);
    let open: () => void = () => {};
    this.gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    this.open = open;
    this.reached = new Promise<void>((resolve) => {
      this.reach = resolve;
    });
  }

  override stream() {
    return sliceBackedStream(this);
  }

  override slice(start = 0, end?: number, contentType?: string): Blob {
    this.starts.push(start);
    const part = super.slice(start, end, contentType);
    if (start !== this.gateAt) return part;
    this.reach();
    const gate = this.gate;
    return new (class extends Blob {
      override async arrayBuffer(): Promise<ArrayBuffer> {
        await gate;
        return part.arrayBuffer();
      }
    })([part]);
  }
}

describe('validator worker API', () => {
  it.each([1, 3])(
    'gives the demo extracts their documented counts with %i file(s) at once, progress up to the last byte and every failing row',
    async (filesAtOnce) => {
      const api = createValidateApi();
      const patients = blobOf('legacy/patients.csv');
      const encounters = blobOf('legacy/encounters.csv');
      const inputs: ValidateInputSpec[] = [
        {
          file: patients,
          name: 'patients.csv',
          layout: await layoutOf(api, patients, 'patients.csv'),
          contract: contractOf('patients'),
          keys: [{ column: 'mrn', demographics: ['last_name', 'first_name', 'birth_date', 'sex'] }],
        },
        {
          file: encounters,
          name: 'encounters.csv',
          layout: await layoutOf(api, encounters, 'encounters.csv'),
          contract: contractOf('encounters'),
          keys: [{ column: 'encounter_id' }],
        },
      ];
      const progress: ValidationProgress[] = [];
      const outcome = await run(
        api,
        {
          inputs,
          links: [
            {
              input: 'encounters.csv',
              column: 'patient_id',
              target: 'patients.csv',
              targetColumn: 'patient_id',
            },
          ],
          toolVersion: '0.0.0-test',
          chunkBytes: 64 * 1024,
        },
        { filesAtOnce, onProgress: (p) => progress.push(p) },
      );
      if (!outcome.ok) throw new Error(outcome.problem.message);
      const { report, failing } = outcome;
      expect(report.inputs.map((i) => [i.name, i.invalid])).toEqual([
        ['patients.csv', 238],
        ['encounters.csv', 25],
      ]);
      expect(report.crossFile.duplicateKeys.filter((d) => d.column === 'mrn')).toHaveLength(12);
      expect(report.crossFile.duplicateKeys.filter((d) => d.column === 'encounter_id')).toHaveLength(3);
      expect(report.crossFile.orphanReferences.map((o) => o.count)).toEqual([37]);
      expect(failing.map((f) => f.count)).toEqual([238, 25]);
      expect(inputs[1]?.layout).toMatchObject({ encoding: 'windows-1252', delimiter: ';' });
      const last = progress.at(-1);
      expect(last?.done).toBe(patients.size + encounters.size);
      expect(last?.rows).toBe(17_000);
      // the drill-down re-reads a failing row by its byte offset: the row the engine flagged
      const first = failing[0];
      const [row] = await api.readRows(patients, 'patients.csv', inputs[0]?.layout as CsvLayout, [
        first?.offsets[0] as number,
      ]);
      expect(row).toHaveLength(first?.header.length as number);
      // each issue of a file has its failing rows: every example row is among them, no other
      // issue's-only rows, and (one error per row and column here) as many rows as the issue's count
      let checked = 0;
      for (const issue of report.issues) {
        const input = issue.examples[0]?.input as string;
        const index = failing.find((f) => f.input === input);
        const group = index?.issues.find((g) => g.rule === issue.rule && g.location === issue.location);
        const exampleRows = issue.examples.flatMap((e) => (e.row === undefined ? [] : [e.row]));
        if (exampleRows.length === 0 || issue.severity !== 'error') continue;
        expect(group?.count, `${issue.rule} ${issue.location}`).toBe(issue.count);
        const rows = [...groupPositions(group as IssueRowGroup)].map((p) => index?.rows[p]);
        expect(rows.slice(0, exampleRows.length)).toEqual(exampleRows);
        checked++;
      }
      expect(checked).toBeGreaterThan(3);
    },
  );

  it.each([
    {
      name: 'a contract that does not compile names the place in it',
      csv: 'id\n1\n',
      schema: { type: 'object', properties: { id: { type: 'strnig' } } },
      layout: {},
      expected: { file: 'c.json', schemaPaths: ['/properties/id/type'] },
    },
    {
      name: 'a contract pattern that backtracks catastrophically is refused before any row',
      csv: `id\n${'a'.repeat(48)}!\n`,
      schema: { type: 'object', properties: { id: { type: 'string', pattern: '^(a|aa)+$' } } },
      layout: {},
      expected: {
        file: 'c.json',
        schemaPaths: ['/properties/id/pattern'],
        message: expect.stringContaining('the pattern of column "id" can match the same text'),
      },
    },
  ])('$name', async ({ csv, schema, layout, expected }) => {
    const api = createValidateApi();
    const file = new Blob([csv]);
    const outcome = await run(api, {
      inputs: [
        {
          file,
          name: 'x.csv',
          layout: {
            encoding: 'utf-8',
            delimiter: ',',
            quote: '"',
            header: true,
            lineEnding: '\n',
            ...layout,
          },
          ...(schema ? { contract: { id: 'c', name: 'c.json', schema } } : {}),
          keys: [],
        },
      ],
      links: [],
      toolVersion: '0',
    });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.problem).toMatchObject(expected);
    expect(outcome.problem.message).not.toContain('Zo');
    expect(outcome.problem.advice.length).toBeGreaterThan(10);
  });

  it('an empty file is a warning of that file, and the run goes on', async () => {
    const api = createValidateApi();
    const layout = { encoding: 'utf-8', delimiter: ',', quote: '"', header: true, lineEnding: '\n' } as const;
    const outcome = await run(api, {
      inputs: [
        { file: new Blob(['']), name: 'empty.csv', layout, keys: [] },
        { file: new Blob(['id\n1\n']), name: 'one.csv', layout, keys: [] },
      ],
      links: [],
      toolVersion: '0',
    });
    if (!outcome.ok) throw new Error(outcome.problem.message);
    const empty = outcome.report.issues.filter((i) => i.rule === 'csv.empty-file');
    expect(empty).toHaveLength(1);
    expect(empty[0]?.severity).toBe('warning');
    expect(outcome.report.inputs.map((i) => [i.name, i.records])).toEqual([
      ['empty.csv', 0],
      ['one.csv', 1],
    ]);
  });

  it.each([
    {
      what: 'a file with a zero byte',
      bytes: [...new TextEncoder().encode('id\n1\n2'), 0x00, 0x0a],
      rule: 'csv.not-text',
      said: 'scan.csv is not a text file (a zero byte at byte 6, line 3): check that it is the right file',
    },
    {
      what: 'a Latin-1 byte read as UTF-8',
      bytes: [...new TextEncoder().encode('id\n1\nMontr'), 0xe9, 0x0a],
      rule: 'csv.not-in-encoding',
      said: 'scan.csv is not valid UTF-8 text: the byte at line 3, byte 10 cannot be read in that encoding',
    },
  ])('$what is one fatal problem of that file, and the run goes on', async ({ bytes, rule, said }) => {
    const api = createValidateApi();
    const layout = { encoding: 'utf-8', delimiter: ',', quote: '"', header: true, lineEnding: '\n' } as const;
    const outcome = await run(api, {
      inputs: [
        { file: new Blob([new Uint8Array(bytes)]), name: 'scan.csv', layout, keys: [] },
        { file: new Blob(['id\n1\n']), name: 'one.csv', layout, keys: [] },
      ],
      links: [],
      toolVersion: '0',
    });
    if (!outcome.ok) throw new Error(outcome.problem.message);
    const refused = outcome.report.issues.filter((i) => i.rule === rule);
    expect(refused).toEqual([
      expect.objectContaining({ severity: 'fatal', count: 1, message: expect.stringContaining(said) }),
    ]);
    expect(outcome.report.summary.errors).toBe(1);
    expect(JSON.stringify(outcome.report)).not.toContain('Montr');
    expect(outcome.report.inputs.map((i) => [i.name, i.records])).toEqual([
      ['scan.csv', 0],
      ['one.csv', 1],
    ]);
  });

  it.each([
    {
      what: 'a 5 MB cell',
      text: () => `id,note\n1,short\n2,${'x'.repeat(5 * 1024 * 1024)}\n3,short\n`,
      row: 2,
      said: 'hostile.csv: the cell in column 2 of row 2 (from byte 16) is longer than 4,194,304 characters.',
    },
    {
      what: 'a header of 100,000 columns',
      text: () => `${Array.from({ length: 100_000 }, (_, i) => `name${i}`).join(',')}\nx\n`,
      row: 0,
      said: 'hostile.csv: the header (the first line) has more than 16,384 columns.',
    },
    {
      what: 'a 10 MB column name',
      text: () => `id,${'x'.repeat(10 * 1024 * 1024)}\nab,cd\n`,
      row: 0,
      said: 'hostile.csv: the name of column 2 in the header is longer than 4,096 characters.',
    },
  ])(
    'refuses $what at its place with what to do, never the text',
    async ({ text, row, said }) => {
      const api = createValidateApi();
      const file = new Blob([text()]);
      const layout: CsvLayout = {
        ...(await layoutOf(api, new Blob(['id,note\n1,a\n']), 'x.csv')),
        header: true,
      };
      const outcome = await run(api, {
        inputs: [{ file, name: 'hostile.csv', layout, keys: [] }],
        links: [],
        toolVersion: '0.0.0-test',
        chunkBytes: 1024 * 1024,
      });
      expect(outcome.ok).toBe(false);
      if (outcome.ok) return;
      expect(outcome.problem).toMatchObject({ file: 'hostile.csv', row, message: said });
      // a data row's problem says where the row starts in the file
      expect(outcome.problem.byteOffset).toBe(row > 0 ? 16 : 0);
      expect(outcome.problem.advice).not.toBe('');
      expect(JSON.stringify(outcome.problem)).not.toContain('xxxx');
    },
    60_000,
  );

  it("reads the pass's chunks through the file's one byte stream, none by a slice", async () => {
    const text = new TextEncoder().encode(
      `id,name\n${Array.from({ length: 3_000 }, (_, i) => `${i},name${i}`).join('\n')}\n`,
    );
    const file = new (class extends Blob {
      readonly slices: number[] = [];
      streams = 0;
      override stream() {
        this.streams++;
        return super.stream();
      }
      override slice(start = 0, end?: number, contentType?: string): Blob {
        this.slices.push(start);
        return super.slice(start, end, contentType);
      }
    })([text]);
    // one file as the page sends it, hashed as it is read
    const outcome = await createValidateApi().validateFile(
      'streamed',
      {
        file,
        name: 'streamed.csv',
        layout: { encoding: 'utf-8', delimiter: ',', quote: '"', header: true, lineEnding: '\n' },
        keys: [{ column: 'id' }],
        references: [],
        chunkBytes: 1024,
        sha256: true,
      },
      () => {},
    );
    if (!outcome.ok) throw new Error(JSON.stringify(outcome));
    expect(outcome.sha256).toBe(createHash('sha256').update(text).digest('hex'));
    expect(outcome.result.records).toBe(3_000);
    expect(text.byteLength).toBeGreaterThan(20 * 1024);
    expect(file.streams).toBe(1);
    expect(file.slices).toEqual([]);
  });

  it('stops between chunks when cancelled', async () => {
    const chunkBytes = 1024;
    const rows = Array.from({ length: 20_000 }, (_, i) => `${i},name${i}`).join('\n');
    const text = new TextEncoder().encode(`id,name\n${rows}\n`);
    // the read of the fourth chunk waits until the test has cancelled: the cancel lands while the
    // run is between chunks however fast or slow the machine is
    const gateAt = 3 * chunkBytes;
    const file = new GatedBlob([text], gateAt);
    const api = createValidateApi();
    const controller = new AbortController();
    const running = run(
      api,
      {
        inputs: [
          {
            file,
            name: 'big.csv',
            layout: { encoding: 'utf-8', delimiter: ',', quote: '"', header: true, lineEnding: '\n' },
            keys: [],
          },
        ],
        links: [],
        toolVersion: '0',
        chunkBytes,
      },
      { signal: controller.signal },
    );
    const settled = running.then(
      () => 'finished',
      () => 'failed',
    );
    // the gated read has started, or (a bug) the run ended without reaching it
    expect(await Promise.race([file.reached.then(() => 'reached'), settled])).toBe('reached');
    controller.abort();
    file.open();
    await expect(running).rejects.toMatchObject({ name: 'JobCancelledError' });
    // the chunk being read when the cancel came and at most the one read ahead of it; nothing after
    expect(Math.max(...file.starts)).toBeLessThanOrEqual(gateAt + chunkBytes);
    expect(text.byteLength).toBeGreaterThan(50 * chunkBytes);
  });

  it('reads the header and first rows for the mapping preview, decoding Windows-1252', async () => {
    const api = createValidateApi();
    const encounters = blobOf('legacy/encounters.csv');
    const layout = await layoutOf(api, encounters, 'encounters.csv');
    const head = await api.readHead(encounters, 'encounters.csv', layout, 20);
    if (!head.ok) throw new Error(head.problem.message);
    expect(head.header[0]).toBe('encounter_id');
    expect(head.rows).toHaveLength(20);
    for (const row of head.rows) expect(row).toHaveLength(head.header.length);
    const tiny = await api.readHead(
      new Blob(['a,b\r\n1,2\r\n']),
      't.csv',
      { ...layout, encoding: 'utf-8', delimiter: ',' },
      20,
    );
    expect(tiny).toEqual({ ok: true, header: ['a', 'b'], rows: [['1', '2']] });
  });

  it.each([
    ['book.xlsx', [0x50, 0x4b, 0x03, 0x04, 0x14], 'an Excel workbook'],
    ['old.xls', [0xd0, 0xcf, 0x11, 0xe0, 0xa1], 'an older Excel'],
    ['scan.csv', [0x25, 0x50, 0x44, 0x46, 0x2d], 'a PDF document'],
  ])('says %s is not a text file and what to do', async (name, bytes, what) => {
    const sniffed = await createValidateApi().sniff(new Blob([new Uint8Array(bytes)]), name);
    expect(sniffed.ok).toBe(false);
    if (sniffed.ok) return;
    expect(sniffed.problem.message).toContain(what);
    expect(sniffed.problem.advice).toMatch(/CSV/);
  });
});
