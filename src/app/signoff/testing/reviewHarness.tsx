/**
 * The review screen in a component test: a clinician's review of a three-record packet
 * (`packetScenario`), in a project held in React state and changed only through the project's own
 * reducer (`applyChange`), as the session does, minus IndexedDB; its audit log is the decisions'
 * chain. The commits are recorded so a test can say what was saved. Test-only.
 */
import { render } from '@testing-library/react';
import { useState } from 'react';
import { applyChange, type ProjectChange } from '../../../core/project/changes.ts';
import { packetScenario, reviewOfPacket } from '../../../core/signoff/exports/index.ts';
import { pendingAuditEntries } from '../../../core/signoff/signing/index.ts';
import type { Project } from '../../../formats/project.ts';
import type { Review } from '../../../formats/review.ts';
import type { ReviewPacket } from '../../../formats/reviewPacket.ts';
import type { SamplePlan } from '../../../formats/samplePlan.ts';
import { fixtureProject } from '../../../formats/testing/fixtures.ts';
import type { ReviewActions } from '../reviewActions.ts';

/** The fixed clock of these tests, RFC 3339 with zone. */
const HARNESS_NOW = '2025-03-03T10:00:00+01:00';

/** The clinician's project with the packet's review open, and the packet. */
export function clinicianProject(options: { dualReview?: boolean } = {}): {
  project: Project;
  plan: SamplePlan;
  review: Review;
  packet: ReviewPacket;
} {
  const { packet, plan } = packetScenario(options);
  const review = reviewOfPacket(packet, packet.integrity.sha256, 'clinician-review');
  const project: Project = {
    ...fixtureProject('clinician', 'Northside review'),
    samplePlans: [plan],
    reviews: [review],
  };
  return { project, plan, review, packet };
}

/** What the harness recorded: every change committed, in order. */
export interface Commits {
  changes: ProjectChange[];
}

/** Actions that apply each change with the project's reducer and keep the project in `hold`. */
export function reducerActions(hold: {
  get: () => Project;
  set: (next: Project) => void;
  commits: Commits;
}): ReviewActions {
  let ids = 0;
  return {
    commit: async (change) => {
      hold.commits.changes.push(change);
      hold.set(applyChange(hold.get(), change, HARNESS_NOW));
    },
    newId: () => `id-${++ids}`,
    now: () => HARNESS_NOW,
    // the decisions' chain as the session writes it (the audit log's other entries are not kept here)
    auditLog: async () => pendingAuditEntries(undefined, hold.get().reviews ?? [], new Set()),
    projectId: hold.get().meta.id,
  };
}

/**
 * Renders `view(project, actions)` with the project in state, changed through {@link reducerActions};
 * returns the render result and the commits.
 */
export function renderWithProject(
  initial: Project,
  view: (project: Project, actions: ReviewActions) => React.ReactNode,
) {
  const commits: Commits = { changes: [] };
  let current = initial;
  let setProject: (next: Project) => void = () => undefined;
  const actions = reducerActions({
    get: () => current,
    set: (next) => {
      current = next;
      setProject(next);
    },
    commits,
  });
  function Holder() {
    const [project, set] = useState(initial);
    setProject = set;
    return <>{view(project, actions)}</>;
  }
  return { ...render(<Holder />), commits, project: () => current };
}
