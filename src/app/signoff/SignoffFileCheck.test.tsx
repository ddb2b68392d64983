/**
 * "Check a sign-off file": a sign-off export of a review sent to a team project, checked against
 * the server's anchor given as a fetch stub — the export as made is the server's, one cut short and
 * re-recorded is named, and an unreachable server (or none) is said as offline only, never a pass.
 * A signed head the file carries must be signed by one of the server's keys (its key route).
 */
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { testLogKey } from '../../../tests/setup/logKeys.ts';
import {
  exportRecord,
  logSigner,
  SCENE_LOG,
  serverKnows,
  serverSignedScene,
} from '../../core/signoff/signing/index.ts';
import { type ChainEntry, createAuditLogFile } from '../../formats/auditLog.ts';
import type { ServerAuditRecord } from '../../formats/projectAudit.ts';
import type { Review } from '../../formats/review.ts';
import { SignoffFileCheck } from './SignoffFileCheck.tsx';

const SERVER = 'https://team.clinic.example';

async function scene() {
  const { plan, review, entries } = await serverSignedScene();
  const record = exportRecord(review, entries);
  const fileOf = (name: string, reviews: Review[], chain: ChainEntry[], records: ServerAuditRecord[]) =>
    new File(
      [
        JSON.stringify(
          createAuditLogFile({
            projectId: 'proj1',
            exportedAt: '2025-03-02T18:00:00Z',
            entries: chain,
            reviews,
            plans: [plan],
            serverRecords: records,
          }),
        ),
      ],
      name,
      { type: 'application/json' },
    );
  const known = serverKnows([
    { hash: record.hash, projectSeq: 14 },
    { hash: String(9).padStart(64, 'e'), projectSeq: 9 },
    { hash: String(12).padStart(64, 'e'), projectSeq: 12 },
  ]);
  // the server's public anchor: which of the hashes asked are its entries, at which place
  const anchor = vi.fn(async (_url: string, init: RequestInit) => {
    const { hashes } = JSON.parse(String(init.body)) as { hashes: string[] };
    return { ok: true, status: 200, json: async () => known(hashes) } as Response;
  });
  return { plan, review, entries, record, fileOf, anchor };
}

const verdict = () => screen.getByTestId('signoff-file-verdict');
/** What the screen says of a file made on another team server: the command line checks it there. */
const ANOTHER_SERVER = `This app asks only the team server it is served from, ${SERVER}. A file made on another team server is checked against that server with the command line: npx preflight signoff verify <file> --server <the team server’s address>`;
const choose = (file: File) => userEvent.upload(screen.getByLabelText('Sign-off file to check (JSON)'), file);

describe('SignoffFileCheck', () => {
  it('confirms an export as made against the team server, asking its anchor', async () => {
    const { review, entries, record, fileOf, anchor } = await scene();
    render(<SignoffFileCheck server={SERVER} fetchImpl={anchor} />);
    // before a file is chosen: which server is asked, and how another one's file is checked
    const card = screen.getByRole('region', { name: 'Check a sign-off file' });
    expect(card.textContent).toContain(`only its fingerprints (hashes) are sent to ${SERVER}`);
    expect(card.textContent).toContain(ANOTHER_SERVER);
    await choose(fileOf('signoff.json', [review], entries, [record]));
    await waitFor(() => expect(verdict().textContent).toContain('every entry is the server’s'));
    expect(verdict().textContent).toContain(`checked against the team server at ${SERVER}`);
    expect(verdict().textContent).toContain('Sam Okafor');
    expect(anchor).toHaveBeenCalledOnce();
    expect(anchor.mock.calls[0]?.[0]).toBe(`${SERVER}/api/anchor`);
  });

  it('names what is not the server’s in a tail cut and re-recorded, and says what to do', async () => {
    const { review, entries, fileOf, anchor } = await scene();
    render(<SignoffFileCheck server={SERVER} fetchImpl={anchor} />);
    // the lead's signature cut with its chain entry, and a record made to match the shorter file
    const cut: Review = { ...review, signatures: [] };
    const shorter = entries.slice(0, -1);
    await choose(fileOf('cut.json', [cut], shorter, [exportRecord(cut, shorter)]));
    await waitFor(() => expect(verdict().textContent).toContain('is not what the server recorded'));
    expect(verdict().textContent).toContain('entry 14');
    expect(verdict().textContent).toContain('Ask the lead for a new export');
    expect(verdict().textContent).toContain(ANOTHER_SERVER);
    expect(verdict().textContent).not.toContain('every entry is the server’s');
  });

  it('says offline only, and why, when the server cannot be reached, the file names none of its entries, or there is none', async () => {
    const { review, entries, record, fileOf } = await scene();
    const down = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    const { unmount } = render(<SignoffFileCheck server={SERVER} fetchImpl={down} />);
    await choose(fileOf('signoff.json', [review], entries, [record]));
    await waitFor(() => expect(verdict().textContent).toContain('checked on this computer only'));
    expect(verdict().textContent).toContain(`The team server at ${SERVER} could not be asked`);
    expect(verdict().textContent).not.toContain('every entry is the server’s');
    expect(down).toHaveBeenCalledOnce();
    unmount();

    // rewritten without its signatures, the server's record and the chain entry that brought the
    // reviewer's server signature in (kept, it is caught on this computer): not confirmed, said so
    const { anchor } = await scene();
    const again = render(<SignoffFileCheck server={SERVER} fetchImpl={anchor} />);
    const bare: Review = { ...review, signatures: [], serverSignatures: [] };
    const unsigned = entries.slice(0, -1).filter((entry) => entry.event !== 'server-signature');
    expect(unsigned).toHaveLength(entries.length - 2);
    await choose(fileOf('bare.json', [bare], unsigned, []));
    await waitFor(() => expect(verdict().textContent).toContain('checked on this computer only'));
    expect(verdict().textContent).toContain(
      `carries no record of the team server at ${SERVER}: it was made on another team server`,
    );
    expect(verdict().textContent).toContain(ANOTHER_SERVER);
    expect(verdict().textContent).not.toContain('every entry is the server’s');
    again.unmount();

    const never = vi.fn(
      async () => ({ ok: true, status: 200, json: async () => ({ entries: [] }) }) as Response,
    );
    render(<SignoffFileCheck fetchImpl={never} />);
    await choose(fileOf('signoff.json', [review], entries, [record]));
    await waitFor(() => expect(verdict().textContent).toContain('checked on this computer only'));
    expect(verdict().textContent).toContain('not connected to a team server');
    expect(screen.getByRole('region', { name: 'Check a sign-off file' }).textContent).not.toContain(
      'only the team server it is served from',
    );
    expect(never).not.toHaveBeenCalled();
  });

  it('names a signed head made with a key that is not one of the server’s', async () => {
    const { plan, review, entries, record } = await scene();
    const held = await (await logSigner())([...SCENE_LOG, record.hash], [9, 12, 14]);
    const file = new File(
      [
        JSON.stringify(
          createAuditLogFile({
            projectId: 'proj1',
            exportedAt: '2025-03-02T18:00:00Z',
            entries,
            reviews: [review],
            plans: [plan],
            serverRecords: [record],
            treeHeads: [held],
          }),
        ),
      ],
      'signoff.json',
      { type: 'application/json' },
    );
    const known = serverKnows([
      { hash: record.hash, projectSeq: 14 },
      { hash: String(9).padStart(64, 'e'), projectSeq: 9 },
      { hash: String(12).padStart(64, 'e'), projectSeq: 12 },
    ]);
    // the server's anchor, and its key route serving one key: someone else's
    const { record: stranger } = await testLogKey();
    const ask = vi.fn(async (url: string, init: RequestInit) => {
      const body = url.endsWith('/api/log/key')
        ? { ...stranger, keys: [stranger] }
        : known((JSON.parse(String(init.body)) as { hashes: string[] }).hashes);
      return { ok: true, status: 200, json: async () => body } as Response;
    });
    render(<SignoffFileCheck server={SERVER} fetchImpl={ask} />);
    await choose(file);
    await waitFor(() =>
      expect(verdict().textContent).toContain(
        `is signed by log key ${held.logKey.keyId.slice(0, 16)}, which is not one of the team server's log keys`,
      ),
    );
    expect(verdict().textContent).not.toContain('every entry is the server’s');
    expect(ask.mock.calls.map(([url]) => url)).toEqual([`${SERVER}/api/anchor`, `${SERVER}/api/log/key`]);
  });
});
