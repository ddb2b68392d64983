/**
 * What the team server's audit log records, by entry kind, and each kind's label in the clinic's
 * words: the one table the lead's audit table, the printouts and the CLI name entries by, so no
 * screen shows a raw code such as `review-decision`. The server's entry type is this list.
 *
 * Constraint: a kind is a public code written into every exported log (its hash covers it): add
 * kinds, never rename one. A label may be reworded freely; it is never hashed.
 */

/** Every kind of entry the server's audit log holds (public codes: add, never rename). */
export const AUDIT_KINDS = [
  'sign-in',
  'sign-in-failed',
  'sign-out',
  'project-created',
  'project-renamed',
  'member-added',
  'member-changed',
  'member-removed',
  'audit-exported',
  'signoff-exported',
  'workflow-shared',
  'workflow-version-named',
  'workflow-restored',
  'signing-key-registered',
  'signing-key-refused',
  'signing-key-confirmed',
  'signing-key-confirm-refused',
  'signing-key-revoked',
  'signing-settings-changed',
  'signature',
  'signature-refused',
  'record-written',
  'record-removed',
  'review-assigned',
  'review-plan-sent',
  'sampled-records-sent',
  'sampled-record-read',
  'review-decision',
  'review-adjudication',
  'review-adjudication-closed',
  'review-decision-from-packet',
  'invitation-created',
  'invitation-revoked',
  'invitation-redeemed',
  'person-relinked',
  'log-key-created',
  'log-key-rotated',
  'attempt-refused',
  'refusal-repeated',
  'refusals-limited',
] as const;

/** A kind of audit entry. */
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** Each kind as a person reads it in the audit table, the printouts and the CLI. */
export const AUDIT_KIND_LABELS: Readonly<Record<AuditKind, string>> = {
  'sign-in': 'Signed in',
  'sign-in-failed': 'Sign-in failed',
  'sign-out': 'Signed out',
  'project-created': 'Project created',
  'project-renamed': 'Project renamed',
  'member-added': 'Member added',
  'member-changed': 'Member’s access changed',
  'member-removed': 'Member removed',
  'audit-exported': 'Audit log read or downloaded',
  'signoff-exported': 'Sign-off exported',
  'workflow-shared': 'Workflow shared',
  'workflow-version-named': 'Workflow version named',
  'workflow-restored': 'Workflow restored to a version',
  'signing-key-registered': 'Signing key registered',
  'signing-key-refused': 'Signing key refused',
  'signing-key-confirmed': 'Signing key confirmed',
  'signing-key-confirm-refused': 'Confirmation of a signing key refused',
  'signing-key-revoked': 'Signing key revoked',
  'signing-settings-changed': 'Signing settings changed',
  signature: 'Signature recorded',
  'signature-refused': 'Signature refused',
  'record-written': 'Shared record saved',
  'record-removed': 'Shared record removed',
  'review-assigned': 'Review assigned',
  'review-plan-sent': 'Sample plan sent to the team',
  'sampled-records-sent': 'Sampled records sent',
  'sampled-record-read': 'Sampled record opened',
  'review-decision': 'Review decision recorded',
  'review-adjudication': 'Adjudication recorded',
  'review-adjudication-closed': 'Adjudication closed',
  'review-decision-from-packet': 'Review decision recorded from a review packet',
  'invitation-created': 'Invitation made',
  'invitation-revoked': 'Invitation withdrawn',
  'invitation-redeemed': 'Joined by invitation',
  'person-relinked': 'Person moved to a new sign-in service',
  'log-key-created': 'Audit log signing key created',
  'log-key-rotated': 'Audit log signing key replaced',
  'attempt-refused': 'Attempt refused',
  'refusal-repeated': 'Refused attempt repeated',
  'refusals-limited': 'Further refused attempts counted, not listed',
};

/**
 * The label of `kind`; a kind this version does not know (a newer server's) is named as such,
 * with its code, never passed off as a known one.
 */
export function auditKindLabel(kind: string): string {
  return (AUDIT_KINDS as readonly string[]).includes(kind)
    ? AUDIT_KIND_LABELS[kind as AuditKind]
    : `An entry this version of Preflight does not know (“${kind}”)`;
}
