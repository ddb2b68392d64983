/**
 * The data files chosen for a sample in this page session, so the lead chooses them once: drawn
 * from (or opened for the review), they are the files "Send to reviewers" reads the records from.
 *
 * Constraints: held in this page's memory only, as the `File` handles the browser gave for the
 * user's own choice — nothing is copied, stored or sent; a reload forgets them. A file is found
 * again only by its name and the SHA-256 fingerprint the sample recorded, and whoever reads it
 * checks the fingerprint again before using a row.
 */

/** A file a sample was drawn from, as the sample records it. */
export interface SampleInput {
  file: string;
  sha256: string;
}

const chosen = new Map<string, File>();
const keyOf = (name: string, sha256: string) => `${name}\u001f${sha256}`;

/** Remembers `files` as the sample's `inputs` (each by its name; one without an input is not kept). */
export function rememberSampleFiles(inputs: readonly SampleInput[], files: readonly File[]): void {
  for (const input of inputs) {
    const file = files.find((f) => f.name === input.file);
    if (file) chosen.set(keyOf(input.file, input.sha256), file);
  }
}

/** The files chosen earlier in this page session for every one of `inputs`, or undefined. */
export function rememberedSampleFiles(inputs: readonly SampleInput[]): File[] | undefined {
  const files = inputs.map((i) => chosen.get(keyOf(i.file, i.sha256)));
  return inputs.length > 0 && files.every((f) => f !== undefined) ? (files as File[]) : undefined;
}

/** Forgets every file (tests). */
export function forgetSampleFiles(): void {
  chosen.clear();
}
