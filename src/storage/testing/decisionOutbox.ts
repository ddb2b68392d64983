import { DECISION_OUTBOX_DB_NAME } from '../decisionOutboxStore.ts';

/**
 * Deletes this computer's decision outbox so the next test starts with an empty one. Resolves once
 * the deletion succeeded, failed or was blocked: a blocked deletion stays queued and completes as
 * soon as the store's connection closes, before any later open of the outbox.
 */
export function deleteDecisionOutbox(): Promise<void> {
  return new Promise((resolve) => {
    const deleting = indexedDB.deleteDatabase(DECISION_OUTBOX_DB_NAME);
    deleting.onsuccess = deleting.onerror = deleting.onblocked = () => resolve();
  });
}
