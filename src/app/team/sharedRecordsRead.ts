/**
 * Every shared record of a team project, read through the records' one client
 * (`httpRecordTransport`, the same the sync sends and pulls with): the screens that show what the
 * team shared — Readiness's evidence, Migration's rehearsals — read it here, page after page.
 */
import type { SharedRecord } from '../../core/teamRecords/index.ts';
import { httpRecordTransport, type TeamSession } from '../../storage/teamServer.ts';

/** Every shared record of `projectId`, page after page, as the server holds them now. */
export async function readAllRecords(session: TeamSession, projectId: string): Promise<SharedRecord[]> {
  const transport = httpRecordTransport(session, projectId);
  const records: SharedRecord[] = [];
  let after = 0;
  for (;;) {
    const page = await transport.pull(after);
    records.push(...page.records);
    const last = page.records.at(-1)?.version;
    if (last === undefined || last >= page.head) return records;
    after = last;
  }
}
