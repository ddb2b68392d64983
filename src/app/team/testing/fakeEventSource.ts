/**
 * A stand-in for the browser's `EventSource` in the app's tests: each made source is kept, and
 * the test opens it, sends it events, drops or refuses it, as a server and a network would.
 * Test-only: imported by *.test.ts(x) files.
 */
import type { EventSourceLike } from '../teamChanges.ts';

/** A fake source and the way a test drives it. */
export class FakeEventSource implements EventSourceLike {
  /** every source made, in order */
  static made: FakeEventSource[] = [];
  readyState = 0;
  closed = false;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent<string>) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  constructor(readonly url: string) {
    FakeEventSource.made.push(this);
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  /** the server answered: the stream is open */
  opened(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  /** the server sent `data` */
  send(data: string): void {
    this.onmessage?.(new MessageEvent('message', { data }));
  }
  /** the connection dropped; the browser reconnects by itself */
  dropped(): void {
    this.readyState = 0;
    this.onerror?.(new Event('error'));
  }
  /** the server refused or ended the stream; the browser gives up */
  refused(): void {
    this.readyState = 2;
    this.onerror?.(new Event('error'));
  }
  /** the sources made and not closed */
  static open(): FakeEventSource[] {
    return FakeEventSource.made.filter((s) => !s.closed);
  }
}
