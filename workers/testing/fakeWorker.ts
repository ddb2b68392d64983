/**
 * Test doubles for workers/: a fake module Worker that vitest (Node) can run, and a MessagePort
 * tracker for leak tests. Not shipped.
 *
 * Constraints:
 * - The fake behaves like a browser Worker where the pool can tell: comlink traffic on a real
 *   MessageChannel, `error`/`messageerror` events, and `terminate()` closing every port the worker
 *   holds (its own and those transferred to it), as a browser does when a worker ends.
 * - Timers and clocks used here are captured at import, so `until` keeps working under
 *   `vi.useFakeTimers()`.
 */
import * as Comlink from 'comlink';
import type { PoolWorker } from '../pool.ts';

// Captured before any test can patch or fake them (see trackMessageChannels and vi.useFakeTimers).
const NativeMessageChannel = globalThis.MessageChannel;
const realSetTimeout = globalThis.setTimeout;
const realNow = Date.now.bind(Date);

/** How deep `portsIn` looks into a message for transferred ports (comlink nests them two levels). */
const PORT_SEARCH_DEPTH = 4;

/** The MessagePorts inside a received message (comlink puts proxied callbacks in `argumentList`). */
function portsIn(value: unknown, depth = PORT_SEARCH_DEPTH): MessagePort[] {
  if (value instanceof MessagePort) return [value];
  if (depth === 0 || typeof value !== 'object' || value === null) return [];
  return Object.values(value).flatMap((item: unknown) => portsIn(item, depth - 1));
}

function isReleaseMessage(message: unknown): boolean {
  return (
    typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'RELEASE'
  );
}

/**
 * A stand-in for a module Worker: comlink talks to `api` over a real MessageChannel, and the test can
 * crash, kill or inspect it. The pool sees exactly the surface a browser Worker gives it.
 */
export class FakeWorker extends EventTarget implements PoolWorker {
  /** True once `terminate()` was called. */
  terminated = false;
  /** Comlink `RELEASE` messages the main side sent to this worker (one per released `wrap`). */
  releasesReceived = 0;
  private readonly port: MessagePort;
  private readonly inside: MessagePort;
  /** Ports transferred into the worker (callback proxies); a dying worker closes them. */
  private readonly heldPorts = new Set<MessagePort>();
  constructor(api: object) {
    super();
    // The Worker's own channel stands for the Worker itself, so it is not one the tracker counts.
    const { port1, port2 } = new NativeMessageChannel();
    this.port = port1;
    this.inside = port2;
    this.inside.addEventListener('message', (event) => {
      for (const port of portsIn(event.data)) this.heldPorts.add(port);
    });
    Comlink.expose(api, port2);
  }
  /** Sends to the worker, counting comlink `RELEASE`s; dropped once terminated, as a browser does. */
  postMessage(message: unknown, transfer: Transferable[] = []): void {
    if (this.terminated) return;
    if (isReleaseMessage(message)) this.releasesReceived += 1;
    this.port.postMessage(message, transfer);
  }
  /** `message` listeners go to the channel (comlink's traffic); `error`/`messageerror` stay local. */
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null): void {
    if (type === 'message') this.port.addEventListener(type, listener as EventListener);
    else super.addEventListener(type, listener);
  }
  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null): void {
    if (type === 'message') this.port.removeEventListener(type, listener as EventListener);
    else super.removeEventListener(type, listener);
  }
  /** Starts delivery of the worker's messages (comlink calls it). */
  start(): void {
    this.port.start();
  }
  /** Simulates an uncaught error in the worker (the `error` event a browser fires). */
  crash(): void {
    this.dispatchEvent(new Event('error'));
  }
  /**
   * Simulates the browser killing the worker without telling the page (out of memory): its ports
   * close, no event fires, and calls already made never answer.
   */
  vanish(): void {
    this.closeWorkerSide();
  }
  /** Stops the worker: every port it holds closes and later messages are dropped. */
  terminate(): void {
    this.terminated = true;
    this.port.close();
    this.closeWorkerSide();
  }
  private closeWorkerSide(): void {
    this.inside.close();
    for (const port of this.heldPorts) port.close();
    this.heldPorts.clear();
  }
}

/**
 * A hang guard for {@link until}, not a speed limit: conditions are events (messages, reads, hashed
 * chunks) that a loaded machine delays by seconds. Below vitest's test timeout, so a hang names its line.
 */
const UNTIL_TIMEOUT_MS = 10_000;

/** Waits until `predicate` holds (messages cross a real MessageChannel, so a few ticks pass). */
export async function until(predicate: () => boolean, timeoutMs = UNTIL_TIMEOUT_MS): Promise<void> {
  const started = realNow();
  while (!predicate()) {
    if (realNow() - started > timeoutMs) throw new Error('condition not reached');
    await new Promise((resolve) => realSetTimeout(resolve, 1));
  }
}

/** How a promise settled, recorded by {@link observe}. */
export interface Observed<T> {
  status: 'pending' | 'resolved' | 'rejected';
  value?: T;
  error?: unknown;
}

/**
 * Records how `promise` settles without awaiting it, so a fake-timer test can check that a job is
 * still pending at one instant and settled at the next.
 */
export function observe<T>(promise: Promise<T>): Observed<T> {
  const state: Observed<T> = { status: 'pending' };
  promise.then(
    (value) => Object.assign(state, { status: 'resolved', value }),
    (error: unknown) => Object.assign(state, { status: 'rejected', error }),
  );
  return state;
}

/** The handle returned by {@link trackMessageChannels}. */
export interface MessageChannelTracker {
  /** Channels created since tracking began whose ports are still open (neither side closed). */
  openCount(): number;
  /** Channels created since tracking began. */
  createdCount(): number;
  /** Puts the original `MessageChannel` back. */
  restore(): void;
}

/**
 * Counts MessageChannels created from now on (comlink opens one per `Comlink.proxy` it sends) and
 * which are still open. Node fires `close` on a port when either side closes, so one port suffices.
 * The fake Worker's own channel is not counted.
 */
export function trackMessageChannels(): MessageChannelTracker {
  const open = new Set<MessagePort>();
  let created = 0;
  class TrackedMessageChannel extends NativeMessageChannel {
    constructor() {
      super();
      created += 1;
      const port = this.port1;
      open.add(port);
      port.addEventListener('close', () => open.delete(port));
    }
  }
  globalThis.MessageChannel = TrackedMessageChannel;
  return {
    openCount: () => open.size,
    createdCount: () => created,
    restore: () => {
      globalThis.MessageChannel = NativeMessageChannel;
    },
  };
}
