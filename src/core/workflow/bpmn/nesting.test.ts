/**
 * Sub-processes nested past the bound are refused by name, at their place, before the reader or
 * the mapping recurse into them; nesting a real model uses, and up to the bound, is read.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importBpmn } from './importBpmn.ts';
import { MAX_SUBPROCESS_DEPTH, tooDeeplyNested } from './nesting.ts';
import { nestedSubProcesses } from './testing/nested.ts';

describe('sub-processes nested too deep', () => {
  it('refuses 40,000 levels in words: what, which sub-process, its line, the limit, what to do', async () => {
    const result = await importBpmn(nestedSubProcesses(40_000));
    expect(result.workflow).toBeUndefined();
    expect(result.problems).toEqual([
      {
        severity: 'error',
        code: 'too-deep',
        message: `sub-processes are nested more than 64 levels deep (at sub-process sp65); real process models nest a few, so this is most likely not a process model or a damaged export: flatten the nesting in the modelling tool and export again`,
        line: 3 + 65,
      },
    ]);
  });

  it('reads nesting up to the bound', async () => {
    const result = await importBpmn(nestedSubProcesses(MAX_SUBPROCESS_DEPTH));
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(result.workflow).toBeDefined();
  });

  it('does not count tags in comments, CDATA or attribute values, nor empty sub-processes', () => {
    const inert = [
      '<!-- <subProcess id="c"> -->',
      '<![CDATA[<subProcess id="d">]]>',
      '<task id="t" name="a > <subProcess id=&quot;x&quot;>"/>',
      '<subProcess id="e"/>',
    ].join('\n');
    expect(tooDeeplyNested(inert.repeat(3), 1)).toBeUndefined();
  });

  it('finds the first sub-process past any bound, by id and line', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 0, max: 30 }), (bound, over) => {
        const found = tooDeeplyNested(nestedSubProcesses(bound + over), bound);
        if (over === 0) expect(found).toBeUndefined();
        else expect(found).toEqual({ id: `sp${bound + 1}`, line: 3 + bound + 1 });
      }),
    );
  });
});
