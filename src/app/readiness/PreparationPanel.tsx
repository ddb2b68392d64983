/**
 * The go-live's preparation records (docs/product.md#readiness): the dress rehearsal — a mock
 * go-live per role and the peak-load rehearsal — the communication plan, and vendor and interface
 * readiness, each a compact checklist with its owners. Kept in the project's settings as typed;
 * the Pre-launch and Go-live phases judge them (core preparation.ts), and what they still want is
 * shown under each, in the words the phases give.
 */
import { useId } from 'react';
import {
  PARTNER_STATUS_WORDS,
  type PreparationState,
  type PreparationSummary,
  type ReadinessReason,
} from '../../core/readiness/index.ts';
import {
  type Communication,
  type CommunicationPlan,
  type DressRehearsal,
  PARTNER_KINDS,
  PARTNER_STATUSES,
  type Partner,
  type PartnerKind,
  type PartnerReadiness,
  PROJECT_COMMUNICATION_PLAN_KEY,
  PROJECT_DRESS_REHEARSAL_KEY,
  PROJECT_PARTNER_READINESS_KEY,
  type RoleRehearsal,
} from '../../formats/goLivePreparation.ts';
import { ConflictBeside } from '../team/RecordConflict.tsx';
import {
  AddNewRowButton,
  AddRowButton,
  CheckCell,
  DateCell,
  RecordTable,
  RemoveCell,
  TextCell,
} from './RecordTable.tsx';
import { put, replaceAt, withRow } from './recordEdits.ts';
import { WordSelectCell } from './WordSelect.tsx';

const PARTNER_KIND_WORDS: Readonly<Record<PartnerKind, string>> = {
  vendor: 'vendor',
  interface: 'interface',
};

const STATE_WORDS: Readonly<Record<PreparationState, string>> = {
  'not-recorded': 'Not recorded',
  incomplete: 'Incomplete',
  ready: 'Ready',
};

/** A whole number typed into a field: 0 for empty or not a number. */
const whole = (text: string) => {
  const n = Number.parseInt(text, 10);
  return Number.isSafeInteger(n) && n >= 0 ? n : 0;
};

function Card({
  title,
  state,
  testId,
  hint,
  wanting,
  record,
  children,
}: {
  title: string;
  state: PreparationState;
  testId: string;
  hint: string;
  wanting: readonly ReadinessReason[];
  /** the readiness record the card holds: a conflicting change to it is told here */
  record: string;
  children: React.ReactNode;
}) {
  const id = useId();
  return (
    <section className="card preparation" aria-labelledby={`${id}-title`}>
      <div className="card-header">
        <h3 id={`${id}-title`}>{title}</h3>
        <span className={`badge preparation-${state}`} data-testid={testId}>
          {STATE_WORDS[state]}
        </span>
      </div>
      <p className="hint">{hint}</p>
      {wanting.length > 0 && (
        <ul className="preparation-wanting" aria-label={`${title}: still wanting`}>
          {wanting.map((r) => (
            <li key={r.text} className={r.blocks ? 'fail' : undefined}>
              {r.text}
            </li>
          ))}
        </ul>
      )}
      <ConflictBeside kind="readiness-record" id={record} what={title.toLowerCase()} />
      {children}
    </section>
  );
}

function RehearsalCard({
  record,
  summary,
  wanting,
  onChange,
}: {
  record: DressRehearsal | null;
  summary: PreparationSummary['rehearsal'];
  wanting: readonly ReadinessReason[];
  onChange?: ((record: DressRehearsal) => void) | undefined;
}) {
  const current: DressRehearsal = record ?? { roles: [] };
  const save = (next: DressRehearsal) => onChange?.(next);
  const change = (index: number, role: RoleRehearsal) => save(withRow(current, 'roles', index, () => role));
  const numberField = (
    r: RoleRehearsal,
    index: number,
    key: 'scriptsRun' | 'scriptsPassed' | 'issuesFound' | 'issuesOpen',
    label: string,
  ) => (
    <td>
      <input
        aria-label={`${r.role}: ${label}`}
        type="number"
        min={0}
        inputMode="numeric"
        value={r[key]}
        disabled={!onChange}
        onChange={(e) => change(index, { ...r, [key]: whole(e.currentTarget.value) })}
      />
    </td>
  );
  const peak = current.peakLoad;
  return (
    <Card
      title="Dress rehearsal"
      state={summary.state}
      testId="rehearsal-state"
      record={PROJECT_DRESS_REHEARSAL_KEY}
      hint="A mock go-live per role — the test scripts it ran and the issues it found — and a peak-load rehearsal at the busiest hour the capacity simulation plans."
      wanting={wanting}
    >
      {current.roles.length > 0 && (
        <RecordTable
          className="preparation-table"
          heads={['Role', 'Day', 'Scripts run', 'Passed', 'Issues found', 'Still open']}
          removable
        >
          {current.roles.map((r, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place; the index is their identity
            <tr key={index}>
              <TextCell
                label={`Mock go-live ${index + 1}: role`}
                value={r.role}
                disabled={!onChange}
                onText={(role) => change(index, { ...r, role })}
              />
              <DateCell
                label={`${r.role}: day`}
                value={r.date ?? ''}
                disabled={!onChange}
                onDate={(date) => change(index, put(r, 'date', date))}
              />
              {numberField(r, index, 'scriptsRun', 'scripts run')}
              {numberField(r, index, 'scriptsPassed', 'scripts passed')}
              {numberField(r, index, 'issuesFound', 'issues found')}
              {numberField(r, index, 'issuesOpen', 'issues still open')}
              <RemoveCell
                label={`Remove the mock go-live of ${r.role}`}
                onRemove={
                  onChange && (() => save({ ...current, roles: current.roles.filter((_, i) => i !== index) }))
                }
              />
            </tr>
          ))}
        </RecordTable>
      )}
      <AddRowButton
        onAdd={
          onChange &&
          (() =>
            save({
              ...current,
              roles: [
                ...current.roles,
                {
                  role: `Role ${current.roles.length + 1}`,
                  scriptsRun: 0,
                  scriptsPassed: 0,
                  issuesFound: 0,
                  issuesOpen: 0,
                },
              ],
            }))
        }
      >
        Add a mock go-live
      </AddRowButton>
      <fieldset className="preparation-peak" disabled={!onChange}>
        <legend>Peak-load rehearsal</legend>
        <label>
          Cases an hour{' '}
          <input
            type="number"
            min={0}
            inputMode="numeric"
            value={peak?.casesPerHour ?? ''}
            onChange={(e) => {
              const cases = Number(e.currentTarget.value);
              const { peakLoad: _old, ...rest } = current;
              save(
                cases > 0 ? { ...rest, peakLoad: { outcome: 'held', ...peak, casesPerHour: cases } } : rest,
              );
            }}
          />
        </label>
        {summary.peakLoad && summary.peakLoad.simulatedPeak > 0 && (
          <span className="hint">
            {' '}
            The capacity simulation's peak: {summary.peakLoad.simulatedPeak} an hour.
          </span>
        )}
        {peak && (
          <>
            <label>
              Day{' '}
              <input
                type="date"
                value={peak.date ?? ''}
                onChange={(e) => save({ ...current, peakLoad: put(peak, 'date', e.currentTarget.value) })}
              />
            </label>
            <label>
              Outcome{' '}
              <select
                value={peak.outcome}
                onChange={(e) =>
                  save({
                    ...current,
                    peakLoad: { ...peak, outcome: e.currentTarget.value as 'held' | 'failed' },
                  })
                }
              >
                <option value="held">The clinic held</option>
                <option value="failed">It did not hold</option>
              </select>
            </label>
          </>
        )}
      </fieldset>
    </Card>
  );
}

function CommunicationCard({
  plan,
  summary,
  wanting,
  onChange,
}: {
  plan: CommunicationPlan | null;
  summary: PreparationSummary['communication'];
  wanting: readonly ReadinessReason[];
  onChange?: ((plan: CommunicationPlan) => void) | undefined;
}) {
  const items = plan?.items ?? [];
  const save = (next: Communication[]) => onChange?.({ items: next });
  const change = (index: number, item: Communication) => save(replaceAt(items, index, () => item));
  const field = (
    c: Communication,
    index: number,
    key: 'audience' | 'message' | 'channel' | 'owner',
    label: string,
  ) => (
    <TextCell
      label={`Communication ${index + 1}: ${label}`}
      value={c[key] ?? ''}
      disabled={!onChange}
      onText={(text) =>
        change(index, key === 'audience' || key === 'message' ? { ...c, [key]: text } : put(c, key, text))
      }
    />
  );
  return (
    <Card
      title="Communication plan"
      state={summary.state}
      testId="communication-state"
      record={PROJECT_COMMUNICATION_PLAN_KEY}
      hint="Who is told what about go-live — staff, patients, referrers — how, by whom and by when."
      wanting={wanting}
    >
      {items.length > 0 && (
        <RecordTable
          className="preparation-table"
          heads={['Audience', 'Message', 'Channel', 'Owner', 'Due', 'Done']}
        >
          {items.map((c, index) => (
            <tr key={c.id}>
              {field(c, index, 'audience', 'audience')}
              {field(c, index, 'message', 'message')}
              {field(c, index, 'channel', 'channel')}
              {field(c, index, 'owner', 'owner')}
              <DateCell
                label={`Communication ${index + 1}: due`}
                value={c.due ?? ''}
                disabled={!onChange}
                onDate={(due) => change(index, put(c, 'due', due))}
              />
              <CheckCell
                label={`Communication ${index + 1}: done`}
                checked={c.status === 'done'}
                disabled={!onChange}
                onCheck={(done) => change(index, { ...c, status: done ? 'done' : 'planned' })}
              />
            </tr>
          ))}
        </RecordTable>
      )}
      <AddNewRowButton
        rows={items}
        prefix="comm"
        make={(id): Communication => ({
          id,
          audience: 'Staff',
          message: `Message ${items.length + 1}`,
          status: 'planned',
        })}
        onSave={onChange && save}
      >
        Add a communication
      </AddNewRowButton>
    </Card>
  );
}

function PartnersCard({
  readiness,
  summary,
  wanting,
  onChange,
}: {
  readiness: PartnerReadiness | null;
  summary: PreparationSummary['partners'];
  wanting: readonly ReadinessReason[];
  onChange?: ((readiness: PartnerReadiness) => void) | undefined;
}) {
  const partners = readiness?.partners ?? [];
  const save = (next: Partner[]) => onChange?.({ partners: next });
  const change = (index: number, partner: Partner) => save(replaceAt(partners, index, () => partner));
  return (
    <Card
      title="Vendor and interface readiness"
      state={summary.state}
      testId="partners-state"
      record={PROJECT_PARTNER_READINESS_KEY}
      hint="Each vendor and interface partner, who owns the relationship, where it stands and when it was last tested end to end."
      wanting={wanting}
    >
      {partners.length > 0 && (
        <RecordTable className="preparation-table" heads={['Partner', 'Kind', 'Owner', 'State', 'Tested']}>
          {partners.map((p, index) => (
            <tr key={p.id}>
              <TextCell
                label={`Partner ${index + 1}: name`}
                value={p.name}
                disabled={!onChange}
                onText={(name) => change(index, { ...p, name })}
              />
              <WordSelectCell
                label={`Partner ${index + 1}: kind`}
                value={p.kind}
                values={PARTNER_KINDS}
                words={PARTNER_KIND_WORDS}
                disabled={!onChange}
                onChange={(kind) => change(index, { ...p, kind })}
              />
              <TextCell
                label={`Partner ${index + 1}: owner`}
                value={p.owner ?? ''}
                disabled={!onChange}
                onText={(owner) => change(index, put(p, 'owner', owner))}
              />
              <WordSelectCell
                label={`Partner ${index + 1}: state`}
                value={p.status}
                values={PARTNER_STATUSES}
                words={PARTNER_STATUS_WORDS}
                disabled={!onChange}
                onChange={(status) => change(index, { ...p, status })}
              />
              <DateCell
                label={`Partner ${index + 1}: tested end to end`}
                value={p.tested ?? ''}
                disabled={!onChange}
                onDate={(tested) => change(index, put(p, 'tested', tested))}
              />
            </tr>
          ))}
        </RecordTable>
      )}
      <AddNewRowButton
        rows={partners}
        prefix="partner"
        make={(id): Partner => ({
          id,
          name: `Partner ${partners.length + 1}`,
          kind: 'vendor',
          status: 'not-started',
        })}
        onSave={onChange && save}
      >
        Add a partner
      </AddNewRowButton>
    </Card>
  );
}

/** The three records; `reasons` are the result's reasons and risks. Without the `on…` callbacks they are shown only. */
export function PreparationPanel({
  rehearsal,
  communication,
  partners,
  summary,
  reasons,
  onRehearsal,
  onCommunication,
  onPartners,
}: {
  rehearsal: DressRehearsal | null;
  communication: CommunicationPlan | null;
  partners: PartnerReadiness | null;
  summary: PreparationSummary;
  reasons: readonly ReadinessReason[];
  onRehearsal?: (record: DressRehearsal) => void;
  onCommunication?: (plan: CommunicationPlan) => void;
  onPartners?: (readiness: PartnerReadiness) => void;
}) {
  const about = (pattern: RegExp) => reasons.filter((r) => pattern.test(r.text));
  return (
    <div className="preparation-records" id="preparation" tabIndex={-1}>
      <RehearsalCard
        record={rehearsal}
        summary={summary.rehearsal}
        wanting={about(REHEARSAL_REASON)}
        onChange={onRehearsal}
      />
      <CommunicationCard
        plan={communication}
        summary={summary.communication}
        wanting={about(COMMUNICATION_REASON)}
        onChange={onCommunication}
      />
      <PartnersCard
        readiness={partners}
        summary={summary.partners}
        wanting={about(PARTNERS_REASON)}
        onChange={onPartners}
      />
    </div>
  );
}

/** The reasons each record gives, by how they begin (core preparation.ts). */
export const REHEARSAL_REASON = /^(Dress rehearsal|No dress rehearsal)/;
export const COMMUNICATION_REASON = /^(Communication plan|No communication plan)/;
export const PARTNERS_REASON = /^(Vendor and interface readiness|No vendor or interface readiness)/;
