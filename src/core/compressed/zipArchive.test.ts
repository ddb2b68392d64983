/**
 * A zip of extracts read as a stream: each CSV, TSV, NDJSON or Parquet entry is an input named
 * `archive.zip/<path>` with its bytes as the archive holds them, every other entry is a line of
 * the account, and an archive past its bounds, damaged or not a zip is refused in words. Run on
 * frictionless-py's own zip archives and on archives fflate writes in the ways real tools do
 * (stored, deflated, streamed with data descriptors).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { Zip, ZipDeflate, ZipPassThrough, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { externalFixture } from '../../../tests/fixtures/external.ts';
import { unaccounted } from '../readerAccount/index.ts';
import { type CompressedSource, DecompressError, readZipArchive, zipEntryUse } from './index.ts';

function source(bytes: Uint8Array, name: string): CompressedSource {
  return { name, size: bytes.length, read: async (o, l) => bytes.slice(o, o + l) };
}

/** Reads `bytes` as `name`; each entry read gathered whole. */
async function unzipped(bytes: Uint8Array, name = 'archive.zip', options = {}) {
  const texts = new Map<string, Uint8Array[]>();
  const ended: string[] = [];
  const read = await readZipArchive(
    source(bytes, name),
    (entry) => {
      const parts: Uint8Array[] = [];
      texts.set(entry.name, parts);
      return {
        write: (b) => {
          parts.push(b.slice());
        },
        end: () => {
          ended.push(entry.name);
        },
      };
    },
    options,
  );
  const whole = new Map([...texts].map(([n, parts]) => [n, Buffer.concat(parts)]));
  return { ...read, whole, ended };
}

const utf8 = (text: string) => new TextEncoder().encode(text);

/** A zip written as a stream (sizes in data descriptors after each entry), as zip tools piping do. */
function streamedZip(files: { name: string; bytes: Uint8Array; deflate: boolean }[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const zip = new Zip((error, data) => {
    if (error) throw error;
    parts.push(data);
  });
  for (const file of files) {
    const entry = file.deflate ? new ZipDeflate(file.name, { level: 6 }) : new ZipPassThrough(file.name);
    zip.add(entry);
    entry.push(file.bytes, true);
  }
  zip.end();
  return Buffer.concat(parts);
}

describe('frictionless-py archives', () => {
  it('package.zip: its two CSV files are inputs, its descriptor is in the account', async () => {
    const bytes = readFileSync(externalFixture('frictionless-py', 'data', 'package.zip'));
    const read = await unzipped(bytes, 'package.zip');
    expect(read.entries.map((e) => e.name)).toEqual(['package.zip/data.csv', 'package.zip/data2.csv']);
    expect(read.ended).toEqual(['package.zip/data.csv', 'package.zip/data2.csv']);
    const data = read.whole.get('package.zip/data.csv')?.toString('utf8') ?? '';
    expect(data.split('\n')[0]).toBe('id,name,description,amount');
    expect(read.whole.get('package.zip/data.csv')?.length).toBe(114);
    expect(read.whole.get('package.zip/data2.csv')?.length).toBe(60);
    expect(read.account.reader).toBe('zip');
    expect(read.account.lines).toEqual([
      {
        kind: 'entry',
        name: 'datapackage.json',
        handling: 'not-used',
        count: 1,
        where: { file: 'package.zip/datapackage.json' },
        effect: expect.stringMatching(/^not an extract \(CSV, TSV, NDJSON or Parquet\)/),
      },
    ]);
  });

  it('innerpath.package.zip: a folder entry and a YAML file accounted, the ten CSV files read', async () => {
    const bytes = readFileSync(externalFixture('frictionless-py', 'data', 'innerpath.package.zip'));
    const read = await unzipped(bytes, 'innerpath.package.zip');
    expect(read.entries).toHaveLength(10);
    expect(read.whole.get('innerpath.package.zip/data/emissions.historical.energy.csv')?.length).toBe(6559);
    expect(read.whole.get('innerpath.package.zip/data/emissions.projections.csv')?.toString()).toMatch(
      /^year,bau,nepn,ec,paris20,paris15\n2020,/,
    );
    expect(read.account.lines.map((l) => [l.name, l.effect.split(':')[0]])).toEqual([
      ['data/', 'a folder of the archive'],
      ['datapackage.yaml', 'not an extract (CSV, TSV, NDJSON or Parquet)'],
    ]);
    // every entry the archive lists is read or in the account
    // central directory headers: PK 1 2
    const listed = bytes.toString('latin1').split('PK\u0001\u0002').length - 1;
    expect(read.account.used.length + read.account.lines.length).toBe(listed);
  });
});

describe('entries that are not extracts', () => {
  const archive = zipSync({
    'patients.csv': utf8('patient_id,sex\nP1,F\n'),
    'visits.tsv': [utf8('visit_id\tpatient_id\nV1\tP1\n'), { level: 0 }],
    'labs.parquet': [new Uint8Array([0x50, 0x41, 0x52, 0x31, 1, 2, 0x50, 0x41, 0x52, 0x31]), { level: 0 }],
    'Patient.ndjson.gz': new Uint8Array([0x1f, 0x8b, 0, 0]),
    'README.pdf': utf8('%PDF-1.4'),
    'docs/': new Uint8Array(0),
    '__MACOSX/._patients.csv': utf8('x'),
    'older.zip': zipSync({ 'a.csv': utf8('a\n1\n') }),
    'counts.xlsx': utf8('PK'),
  });

  it('reads the extracts (text, Parquet, compressed) and accounts for the rest, by name', async () => {
    const read = await unzipped(archive, 'drop.zip');
    expect(read.entries.map((e) => e.path)).toEqual([
      'patients.csv',
      'visits.tsv',
      'labs.parquet',
      'Patient.ndjson.gz',
    ]);
    expect(read.whole.get('drop.zip/labs.parquet')).toEqual(
      Buffer.from([0x50, 0x41, 0x52, 0x31, 1, 2, 0x50, 0x41, 0x52, 0x31]),
    );
    const effects = Object.fromEntries(read.account.lines.map((l) => [l.name, l.effect]));
    expect(Object.keys(effects)).toEqual([
      'README.pdf',
      'docs/',
      '__MACOSX/._patients.csv',
      'older.zip',
      'counts.xlsx',
    ]);
    expect(effects['older.zip']).toMatch(/^an archive inside the archive: not opened/);
    expect(effects['counts.xlsx']).toMatch(/save each sheet as CSV UTF-8 from Excel \(File › Save As…\)/);
    expect(effects['__MACOSX/._patients.csv']).toMatch(/^Finder metadata/);
    expect(read.account.lines.every((l) => l.kind === 'entry' && l.handling === 'not-used')).toBe(true);
  });

  it('leaves out the entries the caller cannot use, in its words, never handing them on', async () => {
    const read = await unzipped(archive, 'drop.zip', {
      leaveOut: (path: string) => (path.endsWith('.parquet') ? 'not read on this screen' : undefined),
    });
    expect(read.entries.map((e) => e.path)).toEqual(['patients.csv', 'visits.tsv', 'Patient.ndjson.gz']);
    expect(read.account.lines.find((l) => l.name === 'labs.parquet')?.effect).toBe('not read on this screen');
  });

  it('reads a second entry of the same path once and says so', async () => {
    const bytes = streamedZip([
      { name: 'a.csv', bytes: utf8('x\n1\n'), deflate: true },
      { name: 'a.csv', bytes: utf8('x\n2\n'), deflate: true },
    ]);
    const read = await unzipped(bytes);
    expect(read.entries).toHaveLength(1);
    expect(read.whole.get('archive.zip/a.csv')?.toString()).toBe('x\n1\n');
    expect(read.account.lines[0]?.effect).toMatch(/^a second entry of the same name/);
  });
});

describe('bounds and damage', () => {
  it('refuses an archive that unpacks past its bound, naming the limit, before the rest', async () => {
    const bomb = zipSync({ 'zeros.csv': new Uint8Array(3 * 1024 * 1024) });
    let written = 0;
    const refusal = readZipArchive(
      source(bomb, 'bomb.zip'),
      () => ({
        write: (b) => {
          written += b.byteLength;
        },
        end: () => {},
      }),
      { maxBytes: 1024 * 1024 },
    );
    await expect(refusal).rejects.toThrow(DecompressError);
    await expect(refusal).rejects.toThrow(/"bomb\.zip" unpacks to more than 1 MB .* so it was not read/);
    expect(written).toBeLessThanOrEqual(1024 * 1024);
  });

  it('counts entries not read towards the bound too', async () => {
    const bomb = zipSync({ 'zeros.bin': new Uint8Array(3 * 1024 * 1024) });
    await expect(unzipped(bomb, 'bomb.zip', { maxBytes: 1024 * 1024 })).rejects.toThrow(/unpacks to more/);
  });

  it('refuses an archive of more entries than the bound', async () => {
    const files = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`f${i}.csv`, utf8('a\n')]));
    await expect(unzipped(zipSync(files), 'many.zip', { maxEntries: 5 })).rejects.toThrow(
      /"many\.zip" has more than 5 entries, so it was not read/,
    );
  });

  it('refuses an entry whose declared sizes expand past the ratio, before inflating it', async () => {
    const bytes = zipSync({ 'a.csv': utf8('a\n1\n') }, { level: 0 });
    // the local header's sizes rewritten: 10 bytes compressed, 2 GB unpacked
    const forged = bytes.slice();
    const view = new DataView(forged.buffer);
    view.setUint32(22, 2_000_000_000, true);
    await expect(unzipped(forged, 'forged.zip')).rejects.toThrow(/would unpack to 200\+ times/);
  });

  it("passes a sink's own failure (a full disk) on as it is, not as a damaged archive", async () => {
    const full = Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    const refusal = readZipArchive(source(zipSync({ 'a.csv': utf8('a\n1\n') }), 'x.zip'), () => ({
      write: () => {
        throw full;
      },
      end: () => {},
    }));
    await expect(refusal).rejects.toBe(full);
  });

  it.each([
    { description: 'not a zip', bytes: utf8('patient_id\nP1\n') },
    { description: 'an empty file', bytes: new Uint8Array(0) },
    {
      description: 'an archive cut short inside an entry',
      bytes: zipSync({ 'a.csv': utf8('a\n'.repeat(5000)) }).subarray(0, 60),
    },
    {
      description: 'a deflated entry whose data is damaged',
      bytes: (() => {
        const b = zipSync({ 'a.csv': utf8('patient_id,sex\n'.repeat(100)) }, { level: 9 }).slice();
        // the first deflate block (after the 30-byte header and the 5-byte name) of reserved type 3
        b[35] = 0x07;
        return b;
      })(),
    },
  ])('refuses $description in words', async ({ bytes }) => {
    await expect(unzipped(bytes, 'x.zip')).rejects.toThrow(
      /^"x\.zip" could not be unzipped: it is not a zip archive, an entry is encrypted, or the file is cut short\./,
    );
  });
});

describe('any archive', () => {
  const entryName = fc
    .tuple(
      fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/),
      fc.constantFrom('.csv', '.tsv', '.ndjson', '.parquet', '.pdf', '.json', '.txt', '.zip'),
    )
    .map(([stem, ext]) => `${stem}${ext}`);
  const entry = fc.record({
    name: fc.oneof(
      entryName,
      fc.tuple(fc.constantFrom('data/', 'x/y/'), entryName).map(([d, n]) => d + n),
    ),
    bytes: fc.uint8Array({ maxLength: 3000 }),
    deflate: fc.boolean(),
  });

  it('gives each extract its bytes and every entry a place: read or accounted for', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(entry, { selector: (e) => e.name, maxLength: 8 }),
        fc.boolean(),
        async (files, streamed) => {
          const bytes = streamed
            ? streamedZip(files)
            : zipSync(
                Object.fromEntries(files.map((f) => [f.name, [f.bytes, { level: f.deflate ? 6 : 0 }]])),
              );
          const read = await unzipped(bytes);
          const extracts = files.filter((f) => zipEntryUse(f.name).read);
          expect(read.entries.map((e) => e.path)).toEqual(extracts.map((f) => f.name));
          for (const f of extracts)
            expect(read.whole.get(`archive.zip/${f.name}`) ?? Buffer.alloc(0)).toEqual(Buffer.from(f.bytes));
          expect(
            unaccounted(
              files.map((f) => f.name),
              read.account,
            ),
          ).toEqual([]);
        },
      ),
      { numRuns: 60 },
    );
  });
});
