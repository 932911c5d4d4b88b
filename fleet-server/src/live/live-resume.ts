import { mayView, parseEventId } from './live-event.js';
import type { LiveViewer } from './live-event.js';
import type { KeptEntry, LiveRing } from './live-ring.js';

/** How a new stream starts: fresh (no id given), replaying what the page missed, or `reset`. */
export type ResumePlan =
  | { kind: 'fresh' }
  | { kind: 'resume'; seq: number; missed: readonly KeptEntry[] }
  | { kind: 'reset'; reason: string };

export interface ResumeInput {
  /** The id of the last event the page saw (`?lastEventId=` or the `Last-Event-ID` header). */
  lastEventId: string | undefined;
  /** The hub's boot marker and its newest seq. */
  boot: string;
  seq: number;
  ring: LiveRing;
  viewer: LiveViewer;
  /** A replay bigger than this is refused: a view reload is cheaper, and the stream would be dropped. */
  maxBytes: number;
}

/**
 * Replay only when every event after the page's id is still in the ring and the id is of this
 * hub (same boot, not ahead of it): the missed events the viewer may see, by the same scope
 * filter as live delivery (mayView). Anything else is a reset: the page reloads its view.
 */
export function planResume(input: ResumeInput): ResumePlan {
  const { lastEventId, ring, viewer } = input;
  if (lastEventId === undefined || lastEventId === '') return { kind: 'fresh' };
  const id = parseEventId(lastEventId);
  if (id === undefined || id.boot !== input.boot || id.seq > input.seq) return { kind: 'reset', reason: 'unknown event id (the server restarted)' };
  const after = ring.after(id.seq);
  if (after === undefined) return { kind: 'reset', reason: 'missed events no longer kept' };
  const missed = after.filter((e) => mayView(viewer, e.event));
  const bytes = missed.reduce((sum, e) => sum + e.bytes, 0);
  if (bytes > input.maxBytes) return { kind: 'reset', reason: 'too many missed events' };
  return { kind: 'resume', seq: id.seq, missed };
}
