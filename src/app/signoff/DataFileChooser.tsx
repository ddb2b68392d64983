/**
 * Where the lead (or a clinician reviewing on the lead's computer) opens the data file the sample
 * was drawn from. The records are read from it while they review; nothing of it is stored.
 */
import { useId } from 'react';

export function DataFileChooser({
  onFiles,
  packetsExported,
}: {
  onFiles: (files: File[]) => void;
  /** review packets were exported for this sample: a clinician may be looking for theirs */
  packetsExported: boolean;
}) {
  const id = useId();
  return (
    <p>
      <label htmlFor={id}>Data file to review</label>{' '}
      <input
        id={id}
        type="file"
        accept=".csv,text/csv"
        multiple
        onChange={(e) => onFiles([...(e.currentTarget.files ?? [])])}
      />
      <br />
      The sampled records are read from your file while you review; Preflight stores only their keys, row
      numbers and a fingerprint of what you saw with each decision.
      {packetsExported && (
        <>
          {' '}
          Reviewing from a review packet? Open the packet again under "Review a packet from your data lead".
        </>
      )}
    </p>
  );
}
