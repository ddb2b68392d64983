/** Saves text as a file through a temporary blob: URL (no network, allowed by the CSP). */
export function downloadText(fileName: string, text: string, type = 'application/json'): void {
  downloadBlob(fileName, new Blob([text], { type }));
}

/** Saves a `Blob` (built in parts, e.g. by a worker) as a file through a temporary blob: URL. */
export function downloadBlob(fileName: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // revoke later: some browsers read the blob after click() returns
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
