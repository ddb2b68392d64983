/**
 * The import screen on an object-centric (OCEL 2.0) log: the object types offered with what each
 * map would hold, the choice reaching the reading options, the rule for events at the same
 * instant, links to undeclared objects, and the reader's account — not a CSV column mapping.
 */

import { readFileSync } from 'node:fs';
import { fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { externalFixture } from '../../../../tests/fixtures/external.ts';
import type { LogReading } from '../../../../workers/eventLogApi.ts';
import { previewOcel, readOcel, sniffOcel } from '../../../core/workflow/eventlog/index.ts';
import { type LogSetup, LogSourceForm, mappingComplete } from './LogSourceForm.tsx';
import { OcelReadingNote } from './OcelSourceFields.tsx';

async function ocelSetup(text: string, name: string): Promise<LogSetup> {
  const data = new TextEncoder().encode(text);
  const input = {
    name,
    size: data.length,
    read: async (at: number, length: number) => data.slice(at, at + length),
  };
  const kind = sniffOcel(data);
  if (kind === undefined) throw new Error('not recognised as OCEL');
  const preview = previewOcel(await readOcel(input, kind));
  return { file: new File([text], name), preview, read: { mapping: preview.proposal, timeZone: 'UTC' } };
}

function Harness({ initial, seen }: { initial: LogSetup; seen: LogSetup[] }) {
  const [setup, setSetup] = useState<LogSetup | null>(initial);
  return (
    <LogSourceForm
      legend="Event log"
      setup={setup}
      onSetup={(next) => {
        if (next) seen.push(next);
        setSetup(next);
      }}
    />
  );
}

describe('LogSourceForm on an OCEL 2.0 log', () => {
  it.each(['ocel20_example.jsonocel', 'ocel20_example.xmlocel'])(
    '%s: the analyst chooses the object type, and sees what was not used',
    async (name) => {
      const text = readFileSync(externalFixture('pm4py-ocel2', name), 'utf8');
      const seen: LogSetup[] = [];
      const initial = await ocelSetup(text, name);
      render(<Harness initial={initial} seen={seen} />);
      expect(screen.getByText(/an object-centric log of 13 events about 4 object types/)).toBeTruthy();
      expect(screen.queryByText(/column found|columns found/)).toBeNull();
      expect(screen.queryByLabelText('Case id (one patient visit, order or referral)')).toBeNull();

      const select = screen.getByLabelText(
        'Object type (each object of this type is one case)',
      ) as HTMLSelectElement;
      expect(select.value).toBe('');
      expect([...select.options].map((o) => o.textContent)).toEqual([
        'Choose an object type',
        'Invoice — 3 objects, 9 events',
        'Payment — 3 objects, 3 events',
        'Purchase Order — 2 objects, 5 events',
        'Purchase Requisition — 1 object, 3 events',
      ]);
      expect(mappingComplete((seen.at(-1) ?? (await ocelSetup(text, name))).read.mapping)).toBe(false);
      fireEvent.change(select, { target: { value: 'Purchase Order' } });
      expect(seen.at(-1)?.read.mapping).toEqual({
        case: 'Purchase Order',
        activity: 'type',
        timestamp: 'time',
      });
      expect(mappingComplete(seen.at(-1)?.read.mapping ?? { case: '', activity: '' })).toBe(true);

      expect(
        screen.getByText(/Events at the same instant keep the order the log lists them in/),
      ).toBeTruthy();
      const account = screen
        .getByText(
          `What Preflight did not use from this file (${initial.preview.ocel?.account.lines.length} items)`,
        )
        .closest('details');
      if (!account) throw new Error('the account is not folded in a details element');
      expect(account.textContent).toContain(
        'object:is_blocked (attribute, seen 5 times): an object attribute with 2 changes over time',
      );
      expect(account.textContent).toContain('event:invoice_inserter (attribute, seen 3 times)');
      expect(account.textContent).toMatch(/qualifiers \(the role an object plays in an event/);
    },
  );

  it('says how many links go to objects the log never declares', async () => {
    const text = JSON.stringify({
      objectTypes: [{ name: 'Order', attributes: [] }],
      eventTypes: [],
      objects: [{ id: 'o1', type: 'Order' }],
      events: [
        {
          id: 'e1',
          type: 'a',
          time: '2024-01-01T00:00:00Z',
          relationships: [{ objectId: 'o1' }, { objectId: 'x9' }],
        },
      ],
    });
    render(<Harness initial={await ocelSetup(text, 'log.jsonocel')} seen={[]} />);
    expect(screen.getByRole('status').textContent).toBe(
      "1 link from events to 1 object the log never declares: with no type, it is on no object type's map.",
    );
  });
});

describe('OcelReadingNote', () => {
  it('says the object type of the map, the events not on it and the same-instant rule', () => {
    const reading = {
      ocel: {
        kind: 'ocel-json',
        events: 13,
        objectTypes: [],
        undeclared: { links: 0, objects: 0 },
        sameInstant:
          'Events at the same instant keep the order the log lists them in (OCEL gives no other order).',
        objectType: 'Invoice',
        eventsNotOnMap: 4,
      },
    } as unknown as LogReading;
    render(<OcelReadingNote reading={reading} />);
    const note = screen.getByRole('status');
    expect(note.textContent).toContain('Map of object type “Invoice”: each object of this type is a case.');
    expect(note.textContent).toContain(
      "4 events of the log's 13 are linked to no object of this type and not on this map.",
    );
    expect(note.textContent).toContain('Events at the same instant keep the order the log lists them in');
  });
});
