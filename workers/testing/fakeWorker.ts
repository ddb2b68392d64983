/**
 * Test doubles for workers/: a fake module Worker that vitest (Node) can run. Not shipped.
 */
import * as Comlink from 'comlink';
import type { PoolWorker } from '../pool.ts';

/**
 * A stand-in for a module Worker: comlink talks to `api` over a real MessageChannel, and the test can
 * crash or inspect it. The pool sees exactly the surface a browser Worker gives it.
 */
export class FakeWorker extends EventTarget implements PoolWorker {
  terminated = false;
  private readonly port: MessagePort;
  private readonly inside: MessagePort;
  constructor(api: object) {
    super();
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.inside = port2;
    Comlink.expose(api, port2);
  }
  postMessage(message: unknown, transfer: Transferable[] = []): void {
    if (!this.terminated) this.port.postMessage(message, transfer);
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
  start(): void {
    this.port.start();
  }
  /** Simulates an uncaught error in the worker (the `error` event a browser fires). */
  crash(): void {
    this.dispatchEvent(new Event('error'));
  }
  terminate(): void {
    this.terminated = true;
    this.port.close();
    this.inside.close();
  }
}

/** Waits until `predicate` holds (messages cross a real MessageChannel, so a few ticks pass). */
export async function until(predicate: () => boolean, timeoutMs = 2000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not reached');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
