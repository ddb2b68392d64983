/**
 * The command table lists names and summaries without importing the commands (the imports cost
 * tens of MB of memory before any data). These tests load every entry and check that the
 * table says what the module declares, so `preflight --help` cannot drift from `<command> --help`.
 */
import { describe, expect, it } from 'vitest';
import { commands } from './index.ts';

describe('the command table', () => {
  it('has unique names', () => {
    const names = commands.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(commands.map((entry) => [entry.name, entry] as const))(
    '%s: the listed name and summary are the loaded command’s',
    async (_name, entry) => {
      const command = await entry.load();
      expect({ name: command.name, summary: command.summary }).toEqual({
        name: entry.name,
        summary: entry.summary,
      });
    },
  );
});
