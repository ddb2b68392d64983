/**
 * Compressed extracts chosen in the browser become their text, named without the suffix, with a
 * note on positions; a file that is not what its suffix says, or unpacks past the bound, is a
 * refusal in words; a package is left as it is.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decompressedFiles } from './decompressedFiles.ts';

const CSV = 'mrn,name\r\nP1,Ann\r\n'.repeat(1000);

describe('decompressedFiles', () => {
  it('reads patients.csv.gz as patients.csv, saying positions are of the decompressed text', async () => {
    const chosen = [
      new File([gzipSync(CSV)], 'patients.csv.gz'),
      new File(['a,b\r\n'], 'visits.csv'),
      new File([gzipSync('x')], 'hl7.fhir.us.core.tgz'),
    ];
    const { files, notes, problems } = await decompressedFiles(chosen);
    expect(files.map((f) => f.name)).toEqual(['patients.csv', 'visits.csv', 'hl7.fhir.us.core.tgz']);
    expect(await files[0]?.text()).toBe(CSV);
    expect(notes).toEqual([
      'patients.csv.gz was read decompressed as patients.csv: lines and byte positions are those of the decompressed text.',
    ]);
    expect(problems).toEqual([]);
  });

  it('refuses a file that is not gzip, or unpacks past the bound, with the limit', async () => {
    const { files, problems } = await decompressedFiles(
      [new File([CSV], 'a.csv.gz'), new File([gzipSync(new Uint8Array(3_000_000))], 'b.csv.gz')],
      { maxBytes: 1024 * 1024 },
    );
    expect(files).toEqual([]);
    expect(problems[0]).toContain('"a.csv.gz" could not be decompressed: it is not gzip data');
    expect(problems[1]).toContain('"b.csv.gz" unpacks to more than 1 MB of text');
  });
});
