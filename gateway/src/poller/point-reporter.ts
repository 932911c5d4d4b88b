import type { Point, PointValue } from '@edgefleet/device-profiles';
import type { Quality } from '@edgefleet/protocol';
import type { NewReading } from '../outbox/outbox-types.js';
import { isStale, shouldReport } from './report-by-exception.js';
import type { Reported } from './report-by-exception.js';

interface PointState {
  reported?: Reported;
  quality?: Quality;
  lastValue?: PointValue;
  lastGoodAt?: number;
}

/** A cycle's verdict on one point. */
export type Observation = { point: Point; value: PointValue; at: number } | { point: Point; failedAt: number };

/**
 * Per-device memory of what each point last read and last reported, turning a cycle's
 * observations into (a) the readings to send (report-by-exception, or all good ones for a full
 * snapshot) and (b) every reading of the cycle, which the alarm rules see.
 *
 * Quality policy (ARCHITECTURE.md "Time, quality, identity"):
 * - good: read now; ts is when the response arrived.
 * - comm-fail: the read failed (or the device went offline); value null, ts the time of the
 *   verdict. Sent once on the transition, not on every failing poll.
 * - stale: no successful read for STALE_AFTER_INTERVALS × the class interval although nothing
 *   failed (the bus is too busy to keep up); the last value, ts the time of the verdict. Once.
 */
export class PointReporter {
  readonly #points = new Map<string, PointState>();

  constructor(readonly deviceId: string) {}

  observe(observations: readonly Observation[], full: boolean): { send: NewReading[]; all: NewReading[] } {
    const send: NewReading[] = [];
    const all: NewReading[] = [];
    for (const o of observations) {
      const st = this.#state(o.point.id);
      const reading: NewReading = 'value' in o
        ? { device: this.deviceId, point: o.point.id, ts: o.at, value: o.value, quality: 'good' }
        : { device: this.deviceId, point: o.point.id, ts: o.failedAt, value: null, quality: 'comm-fail' };
      if ('value' in o) {
        st.lastValue = o.value;
        st.lastGoodAt = o.at;
      }
      st.quality = reading.quality;
      all.push(reading);
      const next: Reported = { value: reading.value, quality: reading.quality };
      if ((full && reading.quality === 'good') || shouldReport(st.reported, next, o.point.deadband)) {
        st.reported = next;
        send.push(reading);
      }
    }
    return { send, all };
  }

  /** Stale readings for good points of `points` not read for too long (each sent once). */
  checkStale(points: readonly Point[], now: number, intervalMs: number): NewReading[] {
    const out: NewReading[] = [];
    for (const p of points) {
      const st = this.#state(p.id);
      if (st.quality !== 'good' || !isStale(st.lastGoodAt, now, intervalMs)) continue;
      st.quality = 'stale';
      const reading: NewReading = { device: this.deviceId, point: p.id, ts: now, value: st.lastValue ?? null, quality: 'stale' };
      st.reported = { value: reading.value, quality: 'stale' };
      out.push(reading);
    }
    return out;
  }

  lastGoodAt(pointId: string): number | undefined {
    return this.#points.get(pointId)?.lastGoodAt;
  }

  #state(id: string): PointState {
    let st = this.#points.get(id);
    if (st === undefined) {
      st = {};
      this.#points.set(id, st);
    }
    return st;
  }
}
