// Keeps live events from being lost while a view loads its data. The snapshot a GET returns may
// predate events that reach the page while the request is in flight (the stream and the request
// are separate connections): applied to the old state they are overwritten by the snapshot, and
// before the first snapshot there is no state to apply them to. So from the moment a load starts
// its events are also kept here and replayed, in arrival order, over the snapshot when it arrives.
// The replay relies on the views' apply functions being idempotent upserts that ignore older
// versions (alerts by updatedAt, readings by ts): an event the snapshot already holds is a no-op.
// DOM-free, so it is unit-tested directly.

/** Events kept at most per load; more means the snapshot is re-fetched instead (`stale`). */
export const MAX_BUFFERED = 5000;

export interface Settled<E> {
  /** The events that arrived since the load started, oldest first, to replay over its snapshot. */
  events: E[];
  /** More arrived than were kept: the snapshot with these events is incomplete, load again. */
  stale: boolean;
}

export class LoadBuffer<E> {
  private generation = 0;
  private buffer: E[] | null = null;
  private overflowed = false;

  constructor(private readonly max = MAX_BUFFERED) {}

  /** A load is starting (its request not yet sent): buffer from now on. Supersedes any load in flight. */
  begin(): number {
    this.buffer = [];
    this.overflowed = false;
    return ++this.generation;
  }

  /** Whether a load is in flight. */
  get loading(): boolean {
    return this.buffer !== null;
  }

  /** An event the view cares about arrived: kept for replay if a load is in flight. */
  offer(event: E): void {
    if (this.buffer === null || this.overflowed) return;
    if (this.buffer.length >= this.max) {
      this.overflowed = true;
      this.buffer = [];
      return;
    }
    this.buffer.push(event);
  }

  /** Load `token`'s snapshot arrived: what to replay over it, or null when a later load superseded it. */
  settle(token: number): Settled<E> | null {
    if (token !== this.generation || this.buffer === null) return null;
    const settled = { events: this.buffer, stale: this.overflowed };
    this.end();
    return settled;
  }

  /** Load `token` failed: stop buffering for it (the events were applied to whatever state is shown). */
  fail(token: number): boolean {
    if (token !== this.generation || this.buffer === null) return false;
    this.end();
    return true;
  }

  /** The view went away (or its subject changed): any answer still in flight is superseded. */
  cancel(): void {
    this.generation++;
    this.end();
  }

  private end(): void {
    this.buffer = null;
    this.overflowed = false;
  }
}

/** The snapshot with the buffered events applied over it in arrival order. */
export function replay<S, E>(snapshot: S, events: readonly E[], apply: (state: S, event: E) => S): S {
  let state = snapshot;
  for (const e of events) state = apply(state, e);
  return state;
}
