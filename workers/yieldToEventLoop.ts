/**
 * Lets queued messages (the main thread's `cancel`) run between chunks of a worker job.
 * `Blob.arrayBuffer()` of an in-memory Blob can resolve without a task boundary, and then a soft
 * cancel would only be seen after the whole file. A MessageChannel round trip is a real task but,
 * unlike `setTimeout(0)`, is not clamped to 4 ms when nested, so it costs microseconds per chunk.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
