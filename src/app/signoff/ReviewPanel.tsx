/**
 * The clinician review of one locked plan (docs/product.md#sign-off): draw the sample from the
 * files the plan was locked with (`DrawSample.tsx`), then review it one record at a time
 * (`RecordReview.tsx`) — on the data lead's computer, or on a clinician's from the review packet
 * opened there.
 */
import { useMemo } from 'react';
import { planHash } from '../../core/signoff/sampling/index.ts';
import type { Project } from '../../formats/project.ts';
import type { ReviewPacket } from '../../formats/reviewPacket.ts';
import type { SamplePlan } from '../../formats/samplePlan.ts';
import { DrawSample } from './DrawSample.tsx';
import { RecordReview } from './RecordReview.tsx';
import { reviewOfOpenPacket } from './ReviewPackets.tsx';
import type { ReviewActions } from './reviewActions.ts';

/** The record key's column of a mapping (its first, for a composite key). */
export function keyColumnOf(mappingKey: string | string[] | undefined): string | undefined {
  return typeof mappingKey === 'string' ? mappingKey : mappingKey?.[0];
}

export function ReviewPanel({
  plan,
  project,
  actions,
  packet,
}: {
  plan: SamplePlan;
  project: Project;
  actions?: ReviewActions;
  /** a review packet opened on this computer (the clinician's side) */
  packet?: ReviewPacket;
}) {
  const hash = useMemo(() => planHash(plan), [plan]);
  const review = project.reviews?.find((r) => r.plan.hash === hash);
  const openPacket = packet && review && reviewOfOpenPacket(project, packet) === review ? packet : undefined;
  const mapping = project.mappings.find((m) => m.source === plan.population.dataset);
  return (
    <section className="review-panel" aria-label={`Review of ${plan.name}`}>
      <h4>Clinician review</h4>
      {review ? (
        <RecordReview review={review} plan={plan} project={project} actions={actions} packet={openPacket} />
      ) : (
        <DrawSample
          plan={plan}
          hash={hash}
          mappingKey={keyColumnOf(mapping?.key)}
          project={project}
          actions={actions}
        />
      )}
    </section>
  );
}
