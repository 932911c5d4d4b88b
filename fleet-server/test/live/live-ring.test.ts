// The replay ring's bounds (count, age, bytes) and the resume decision over it.
import { describe, expect, it } from 'vitest';
import { eventId, parseEventId, sseFrame } from '../../src/live/live-event.js';
import type { LiveEvent, LiveViewer } from '../../src/live/live-event.js';
import { LiveRing, RING_LIMITS } from '../../src/live/live-ring.js';
import type { RingEntry } from '../../src/live/live-ring.js';
import { planResume } from '../../src/live/live-resume.js';

const BOOT = 'b007';
const event = (site: string, audience: LiveEvent['audience'] = 'any', name: LiveEvent['name'] = 'alert'): LiveEvent =>
  ({ name, site, audience, data: { site } });
const entry = (seq: number, at: number, e: LiveEvent = event('north')): RingEntry =>
  ({ seq, at, event: e, frame: sseFrame(e.name, e.data, eventId(BOOT, seq)) });
const seqs = (entries: readonly RingEntry[] | undefined): number[] | undefined => entries?.map((e) => e.seq);

describe('LiveRing', () => {
  it('keeps the newest maxEvents; an id before the oldest kept can no longer be resumed', () => {
    const ring = new LiveRing({ maxEvents: 3, maxAgeMs: 60_000, maxBytes: 1 << 20 }, () => 0);
    for (let seq = 1; seq <= 5; seq++) ring.append(entry(seq, 0));
    expect(ring.size).toBe(3);
    expect(seqs(ring.after(2))).toEqual([3, 4, 5]);
    expect(seqs(ring.after(4))).toEqual([5]);
    expect(seqs(ring.after(5))).toEqual([]);
    // Event 2 was evicted: a page that saw only 1 missed it.
    expect(ring.after(1)).toBeUndefined();
  });

  it('drops events older than maxAgeMs, also when nothing new is appended', () => {
    let now = 1_000;
    const ring = new LiveRing({ maxEvents: 100, maxAgeMs: 10_000, maxBytes: 1 << 20 }, () => now);
    ring.append(entry(1, 1_000));
    now = 5_000;
    ring.append(entry(2, 5_000));
    now = 11_000;
    expect(seqs(ring.after(0))).toEqual([1, 2]);
    now = 11_001;
    expect(ring.after(0)).toBeUndefined();
    expect(seqs(ring.after(1))).toEqual([2]);
    expect(ring.size).toBe(1);
  });

  it('bounds the bytes of the kept frames', () => {
    const big = (seq: number): RingEntry => {
      const e: LiveEvent = { name: 'values', site: 'north', audience: 'any', data: { pad: 'x'.repeat(1_000) } };
      return { seq, at: 0, event: e, frame: sseFrame(e.name, e.data, eventId(BOOT, seq)) };
    };
    const ring = new LiveRing({ maxEvents: 100, maxAgeMs: 60_000, maxBytes: 2_500 }, () => 0);
    for (let seq = 1; seq <= 4; seq++) ring.append(big(seq));
    expect(ring.size).toBe(2);
    expect(seqs(ring.after(2))).toEqual([3, 4]);
    expect(ring.after(1)).toBeUndefined();
  });

  it('after lose(seq) nothing up to seq is resumable, and later events are kept again', () => {
    const ring = new LiveRing(RING_LIMITS, () => 0);
    ring.append(entry(1, 0));
    ring.lose(2);
    ring.append(entry(3, 0));
    expect(ring.after(1)).toBeUndefined();
    expect(seqs(ring.after(2))).toEqual([3]);
  });

  it('has the documented default bounds: 5,000 events, 5 minutes', () => {
    expect(RING_LIMITS).toMatchObject({ maxEvents: 5_000, maxAgeMs: 300_000 });
  });
});

describe('planResume', () => {
  const mona: LiveViewer = { userId: 'mona', tokenId: 't1', role: 'manager', sites: ['north'] };
  const eng: LiveViewer = { userId: 'eng', tokenId: 't2', role: 'engineer', sites: [] };
  const ring = new LiveRing(RING_LIMITS, () => 0);
  const events = [event('north'), event('south'), event('north', 'operators', 'command'), event('north', 'any', 'values')];
  events.forEach((e, i) => ring.append(entry(i + 1, 0, e)));
  const plan = (viewer: LiveViewer, lastEventId: string | undefined, maxBytes = 1 << 20) =>
    planResume({ lastEventId, boot: BOOT, seq: 4, ring, viewer, maxBytes });

  it('replays the missed events the viewer may see, by the live filter', () => {
    const manager = plan(mona, eventId(BOOT, 0));
    expect(manager.kind === 'resume' && seqs(manager.missed)).toEqual([1, 4]);
    const engineer = plan(eng, eventId(BOOT, 1));
    expect(engineer.kind === 'resume' && seqs(engineer.missed)).toEqual([2, 3, 4]);
    expect(plan(eng, eventId(BOOT, 4))).toEqual({ kind: 'resume', seq: 4, missed: [] });
  });

  it('is fresh without an id, and a reset for another boot, a future seq, garbage or too much to replay', () => {
    expect(plan(mona, undefined)).toEqual({ kind: 'fresh' });
    expect(plan(mona, '')).toEqual({ kind: 'fresh' });
    for (const id of [eventId('c0ffee', 2), eventId('b008', 2), eventId(BOOT, 5), 'nonsense', `${BOOT}-1-2`, `${BOOT}-`]) {
      expect(plan(mona, id), id).toMatchObject({ kind: 'reset' });
    }
    expect(plan(eng, eventId(BOOT, 0), 100)).toEqual({ kind: 'reset', reason: 'too many missed events' });
  });

  it('parses only the ids it makes', () => {
    expect(parseEventId(eventId('a1b2c3', 42))).toEqual({ boot: 'a1b2c3', seq: 42 });
    expect(parseEventId('A1-2')).toBeUndefined();
  });
});
