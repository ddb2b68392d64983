/**
 * The audit line under the review: the chain's length and head once no decision is still being
 * saved (or where it is broken), and the audit log's export — made from the project and chain as
 * stored, once the pending save landed (savedSignoff.ts).
 */
import { useCallback, useEffect } from 'react';
import { verifyAuditChain } from '../../core/signoff/signing/index.ts';
import { createAuditLogFile } from '../../formats/auditLog.ts';
import type { Project } from '../../formats/project.ts';
import type { Review } from '../../formats/review.ts';
import { readSteeringDecisions } from '../../formats/steering.ts';
import { downloadText } from '../common/download.ts';
import { asSentence, formatCount } from '../common/format.ts';
import type { ReviewActions } from './reviewActions.ts';
import { type ReviewState, type ReviewStore, useReview } from './reviewStore.ts';
import { savedSignoff } from './savedSignoff.ts';

const selectIdle = (s: ReviewState) => s.pending.size === 0;
const selectAudit = (s: ReviewState) => s.audit;
const selectExport = (s: ReviewState) => s.auditExport;

export function AuditLine({
  store,
  review,
  project,
  actions,
}: {
  store: ReviewStore;
  review: Review;
  project: Project;
  actions: ReviewActions | undefined;
}) {
  const idle = useReview(store, selectIdle);
  const audit = useReview(store, selectAudit);
  const auditExport = useReview(store, selectExport);
  const checkAudit = useCallback(async () => {
    if (!actions) return;
    const entries = await actions.auditLog();
    const result = verifyAuditChain(entries, project.reviews, {
      steering: readSteeringDecisions(project.meta.settings),
    });
    store.dispatch({
      type: 'audit',
      text: result.ok
        ? `Audit log: ${formatCount(result.entries)} entries, chain intact (head ${result.head.slice(0, 12)}…).`
        : asSentence(`Audit log broken at entry ${result.entry}: ${result.message}`),
    });
  }, [store, actions, project.reviews, project.meta.settings]);
  useEffect(() => {
    if (idle) void checkAudit();
  }, [checkAudit, idle]);

  const exportAudit = async () => {
    if (!actions || store.get().auditExport.state === 'saving') return;
    store.dispatch({ type: 'audit-export', export: { state: 'saving' } });
    try {
      const saved = await savedSignoff(actions, project);
      const file = createAuditLogFile({
        projectId: actions.projectId,
        exportedAt: actions.now(),
        entries: saved.entries,
        reviews: saved.project.reviews ?? [],
        ...(saved.project.meta.roster ? { roster: saved.project.meta.roster } : {}),
      });
      downloadText(`audit-log-${review.plan.id}.json`, `${JSON.stringify(file, null, 2)}\n`);
      store.dispatch({ type: 'audit-export', export: { state: 'idle' } });
    } catch (error) {
      store.dispatch({
        type: 'audit-export',
        export: {
          state: 'failed',
          message: asSentence(`The audit log was not exported: ${(error as Error).message}`),
        },
      });
    }
  };
  const saving = auditExport.state === 'saving';
  return (
    <>
      <p>
        <span data-testid="audit-status">{audit}</span>{' '}
        {actions && (
          <button
            type="button"
            aria-busy={saving ? true : undefined}
            aria-disabled={saving ? true : undefined}
            onClick={() => void exportAudit()}
          >
            {saving ? 'Waiting for the save…' : 'Export the audit log'}
          </button>
        )}
      </p>
      {auditExport.state === 'failed' && <p role="alert">{auditExport.message}</p>}
    </>
  );
}
