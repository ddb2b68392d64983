/**
 * The demo clinic's legacy extracts (samples/legacy/*.csv). Vite copies each into the build as a
 * static file (`?url`: its address, not its content, enters the bundle), so the demo project can
 * describe them and "Check the demo extracts" can read them in the browser, with no file from disk.
 */
const urls = import.meta.glob<string>('../../../samples/legacy/*.csv', {
  eager: true,
  query: '?url',
  import: 'default',
});

/** A bundled extract: its path inside Preflight's samples (a dataset's `origin.path`) and address. */
interface SampleExtract {
  /** e.g. "samples/legacy/patients.csv" */
  path: string;
  name: string;
  url: string;
}

/** The bundled extracts, by name. */
export const SAMPLE_EXTRACTS: readonly SampleExtract[] = Object.entries(urls)
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([path, url]) => {
    const name = path.slice(path.lastIndexOf('/') + 1);
    return { path: `samples/legacy/${name}`, name, url };
  });

/** Reads a bundled extract as a file, as if the user had chosen it. */
export async function sampleExtractFile(sample: SampleExtract): Promise<File> {
  const response = await fetch(sample.url);
  if (!response.ok)
    throw new Error(`Bundled sample ${sample.name} could not be read (HTTP ${response.status}).`);
  return new File([await response.blob()], sample.name, { type: 'text/csv' });
}
