/**
 * `Blob.stream()` for test Blobs that watch their reads through `slice` (gated or counted reads):
 * a byte stream whose every pull is a slice of `blob`, of the size its reader asks for, so a pass
 * that reads through the stream (streamedBlobSource.ts) is watched as a pass of slices is.
 */
export function sliceBackedStream(blob: Blob): ReadableStream<Uint8Array<ArrayBuffer>> {
  let at = 0;
  return new ReadableStream({
    type: 'bytes',
    async pull(controller) {
      const request = controller.byobRequest;
      const view = request?.view;
      if (at >= blob.size) {
        controller.close();
        request?.respond(0);
        return;
      }
      const length = view ? view.byteLength : 64 * 1024;
      const bytes = new Uint8Array(await blob.slice(at, Math.min(blob.size, at + length)).arrayBuffer());
      at += bytes.byteLength;
      if (request && view) {
        new Uint8Array(view.buffer, view.byteOffset, bytes.byteLength).set(bytes);
        request.respond(bytes.byteLength);
      } else controller.enqueue(bytes);
    },
  });
}
