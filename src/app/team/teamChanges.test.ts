/**
 * The page's change streams on a fake EventSource and fake timers: one stream per team project
 * however many screens listen, a reload per burst of the kinds a screen shows, a reload of
 * everything when a dropped stream opens again, and reconnection with a doubling wait when the
 * server refused or ended the stream.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { COALESCE_MS, listenToTeam, RECONNECT_FIRST_MS, teamChangesLive } from './teamChanges.ts';
import { FakeEventSource } from './testing/fakeEventSource.ts';

const open = (url: string) => new FakeEventSource(url);
const change = (kind: string) => JSON.stringify({ kind, at: 1 });

describe('a team project’s change stream', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeEventSource.made = [];
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reloads a screen once per burst of the kinds it shows, and never for others', () => {
    const reload = vi.fn();
    const stop = listenToTeam('', 'p-1', { kinds: ['steering', 'records'], reload }, open);
    const [source] = FakeEventSource.made;
    expect(source?.url).toBe('/api/projects/p-1/events');
    source?.opened();
    source?.send(change('decisions'));
    source?.send('{"kind":"gossip","at":1}');
    source?.send('not json');
    vi.advanceTimersByTime(COALESCE_MS);
    expect(reload).not.toHaveBeenCalled();
    source?.send(change('steering'));
    source?.send(change('records'));
    source?.send(change('steering'));
    expect(reload).not.toHaveBeenCalled();
    vi.advanceTimersByTime(COALESCE_MS);
    expect(reload).toHaveBeenCalledTimes(1);
    source?.send(change('records'));
    vi.advanceTimersByTime(COALESCE_MS);
    expect(reload).toHaveBeenCalledTimes(2);
    stop();
    expect(source?.closed).toBe(true);
  });

  it('opens one stream per project for every screen, and closes it with the last', () => {
    const first = vi.fn();
    const second = vi.fn();
    const stopFirst = listenToTeam('', 'p-1', { kinds: ['reviews'], reload: first }, open);
    const stopSecond = listenToTeam('', 'p-1', { kinds: ['decisions'], reload: second }, open);
    const other = listenToTeam('', 'p-2', { kinds: ['decisions'], reload: vi.fn() }, open);
    expect(FakeEventSource.open().map((s) => s.url)).toEqual([
      '/api/projects/p-1/events',
      '/api/projects/p-2/events',
    ]);
    const source = FakeEventSource.made[0] as FakeEventSource;
    source.opened();
    expect(teamChangesLive('', 'p-1')).toBe(true);
    source.send(change('decisions'));
    stopFirst();
    vi.advanceTimersByTime(COALESCE_MS);
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);
    expect(source.closed).toBe(false);
    stopSecond();
    expect(source.closed).toBe(true);
    expect(teamChangesLive('', 'p-1')).toBe(false);
    other();
  });

  it('reloads everything when a dropped stream opens again, and not at the first opening', () => {
    const reload = vi.fn();
    const stop = listenToTeam('', 'p-1', { kinds: ['members'], reload }, open);
    const source = FakeEventSource.made[0] as FakeEventSource;
    source.opened();
    vi.advanceTimersByTime(COALESCE_MS);
    expect(reload).not.toHaveBeenCalled();
    // the browser reconnects a dropped stream itself: no second source is made
    source.dropped();
    expect(teamChangesLive('', 'p-1')).toBe(false);
    vi.advanceTimersByTime(RECONNECT_FIRST_MS * 4);
    expect(FakeEventSource.made).toHaveLength(1);
    source.opened();
    vi.advanceTimersByTime(COALESCE_MS);
    expect(reload).toHaveBeenCalledTimes(1);
    stop();
  });

  it('opens a refused or ended stream again after a wait that doubles, then resets once open', () => {
    const reload = vi.fn();
    const stop = listenToTeam('', 'p-1', { kinds: ['records'], reload }, open);
    const made = () => FakeEventSource.made.length;
    (FakeEventSource.made[0] as FakeEventSource).refused();
    expect(FakeEventSource.made[0]?.closed).toBe(true);
    vi.advanceTimersByTime(RECONNECT_FIRST_MS - 1);
    expect(made()).toBe(1);
    vi.advanceTimersByTime(1);
    expect(made()).toBe(2);
    (FakeEventSource.made[1] as FakeEventSource).refused();
    vi.advanceTimersByTime(RECONNECT_FIRST_MS * 2 - 1);
    expect(made()).toBe(2);
    vi.advanceTimersByTime(1);
    expect(made()).toBe(3);
    const third = FakeEventSource.made[2] as FakeEventSource;
    third.opened();
    third.refused();
    vi.advanceTimersByTime(RECONNECT_FIRST_MS);
    expect(made()).toBe(4);
    stop();
    vi.advanceTimersByTime(RECONNECT_FIRST_MS * 100);
    expect(FakeEventSource.open()).toEqual([]);
  });
});
