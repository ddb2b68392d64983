/**
 * The readers' account over every third-party log here (PM4Py's test logs, eventdataR's patients,
 * Simod's interval log): each CSV column and each XES element and attribute key, walked here
 * independently of the readers, is used or in the account (`unaccounted` is empty), and every line
 * says what leaving it out does to the figures. Read as the browser's import step proposes the
 * columns (the preview). Cheap: the logs are small and each is read once.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { externalFixture } from '../../../../tests/fixtures/external.ts';
import { type ReaderAccount, unaccounted } from '../../readerAccount/index.ts';
import { readCsvLogText } from './csvLog.ts';
import { previewLog } from './logPreview.ts';
import { readXesLogText } from './xesLog.ts';

const SIMOD = path.resolve(import.meta.dirname, '../../../../tests/fixtures/logs/simod');

const CORPUS: ReadonlyArray<readonly [suite: string, file: string]> = [
  ['pm4py-running-example', 'running-example.xes'],
  ['pm4py-running-example', 'running-example.csv'],
  ['eventdataR-patients', 'patients.csv'],
  ['pm4py-input-data', 'xes_20.xes'],
  ['pm4py-input-data', 'roadtraffic50traces.xes'],
  ['pm4py-input-data', 'roadtraffic100traces.csv'],
  ['pm4py-input-data', 'partial order example.xes'],
  ['pm4py-input-data', 'partial order example 3.xes'],
  ['pm4py-input-data', 'running-example-transformed.csv'],
  ['pm4py-input-data', 'correlation_mining.csv'],
  ['simod', 'Simple_log_with_prioritization.csv'],
  ['simod', 'Insurance_Claims_test.csv'],
];

const ATTRIBUTE_TAGS = new Set(['string', 'date', 'int', 'float', 'boolean', 'id', 'list', 'container']);

/** Every element and attribute key of an XES text, named as the account names them (logAccount.ts). */
function xesNames(text: string): Set<string> {
  const names = new Set<string>();
  const stack: Array<{ name: string; path?: string; scope?: string }> = [];
  const tag = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
  const attr = (attributes: string, name: string) =>
    new RegExp(`\\s${name.replace('.', '\\.')}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`)
      .exec(attributes)
      ?.slice(1)
      .find((v) => v !== undefined);
  for (const [, close, name = '', attributes = '', selfClosing] of text.matchAll(tag)) {
    if (close) {
      stack.pop();
      continue;
    }
    const parent = stack[stack.length - 1];
    let entry: { name: string; path?: string; scope?: string } = { name };
    const key = attr(attributes, 'key');
    if (['log', 'trace', 'event'].includes(name)) names.add(name);
    else if (name === 'global') {
      entry = { name, scope: attr(attributes, 'scope') ?? 'event' };
      names.add(`global[${entry.scope}]`);
    } else if (name === 'extension') names.add(`extension[${attr(attributes, 'prefix') ?? ''}]`);
    else if (name === 'classifier') names.add(`classifier[${attr(attributes, 'name') ?? ''}]`);
    else if (name === 'values') entry = { name, ...(parent?.path ? { path: parent.path } : {}) };
    else if (ATTRIBUTE_TAGS.has(name) && key !== undefined) {
      const owner = parent?.name === 'global' ? `global[${parent.scope}]` : (parent?.name ?? '');
      const path = parent?.path ? `${parent.path}/${key}` : `${owner}@${key}`;
      entry = { name, path };
      names.add(path);
    } else names.add(parent ? `${parent.name}/${name}` : name);
    if (!selfClosing) stack.push(entry);
  }
  return names;
}

/** The header's column names (comma or semicolon, quotes allowed), trimmed. */
function csvNames(text: string): Set<string> {
  const head = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = (head.match(/;/g) ?? []).length > (head.match(/,/g) ?? []).length ? ';' : ',';
  return new Set(head.split(delimiter).map((c) => c.trim().replace(/^"(.*)"$/, '$1')));
}

function read(file: string, text: string): ReaderAccount {
  const proposal = previewLog(new TextEncoder().encode(text), file).proposal;
  return file.endsWith('.xes')
    ? readXesLogText(text, { mapping: proposal }, file).account
    : readCsvLogText(text, { mapping: proposal }, file).account;
}

describe('the reader account over third-party logs', () => {
  it.each(CORPUS)('%s/%s: every column, element and key is used or accounted for', (suite, file) => {
    const text = readFileSync(
      suite === 'simod' ? path.join(SIMOD, file) : externalFixture(suite, file),
      'utf8',
    );
    const account = read(file, text);
    const seen = file.endsWith('.xes') ? xesNames(text) : csvNames(text);
    expect(seen.size).toBeGreaterThan(0);
    expect(account.reader).toBe(file.endsWith('.xes') ? 'xes' : 'csv-log');
    expect(unaccounted(seen, account)).toEqual([]);
    for (const line of account.lines) expect(line.effect.length).toBeGreaterThan(10);
  });

  it('says what the figures lose on the well-known keys', () => {
    const account = read(
      'log.xes',
      readFileSync(externalFixture('pm4py-input-data', 'roadtraffic50traces.xes'), 'utf8'),
    );
    const effect = (name: string) => account.lines.find((l) => l.name === name)?.effect;
    expect(account.used).toEqual(
      expect.arrayContaining([
        'event@concept:name',
        'event@time:timestamp',
        'trace@concept:name',
        'event@org:resource',
      ]),
    );
    expect(effect('event@amount')).toMatch(/not used in the map; keep it to filter cases/);
  });
});
