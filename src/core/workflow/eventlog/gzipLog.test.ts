/** A gzipped log is bounded as any compressed text: past its bound, refused with the limit. */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { GzipLogError, gunzipLog, inMemoryLog } from './gzipLog.ts';

describe('gunzipLog', () => {
  it('gives the log, a preview its first bytes, and refuses a log past its bound', async () => {
    const text = 'case,activity,time\n'.repeat(1000);
    const gz = inMemoryLog('log.csv.gz', new Uint8Array(gzipSync(text)));
    const whole = await gunzipLog(gz);
    expect(whole.name).toBe('log.csv');
    expect(whole.size).toBe(text.length);
    expect((await gunzipLog(gz, 100)).size).toBe(100);
    const bomb = inMemoryLog('bomb.xes.gz', new Uint8Array(gzipSync(new Uint8Array(3_000_000))));
    const refused = gunzipLog(bomb, Number.POSITIVE_INFINITY, { limit: 1_000_000 });
    await expect(refused).rejects.toBeInstanceOf(GzipLogError);
    await expect(gunzipLog(bomb, Number.POSITIVE_INFINITY, { limit: 1_000_000 })).rejects.toThrow(
      '"bomb.xes.gz" unpacks to more than 1 MB of text',
    );
  });
});
