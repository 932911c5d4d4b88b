import type { WireValue } from '@edgefleet/protocol';
import type { NewReading } from '../outbox/outbox-types.js';

/**
 * The last value reported per device and point, tapped from the telemetry on its way to the
 * outbox. Scheduled snapshots (the daily meter reading) come from here: within the deadband of
 * the device's true value, and stamped with when each value was read.
 */
export class LatestValues {
  private readonly byDevice = new Map<string, Map<string, { value: WireValue; ts: number; quality: NewReading['quality'] }>>();

  update(readings: readonly NewReading[]): void {
    for (const r of readings) {
      let points = this.byDevice.get(r.device);
      if (!points) this.byDevice.set(r.device, (points = new Map()));
      points.set(r.point, { value: r.value, ts: r.ts, quality: r.quality });
    }
  }

  /** Good values only: a snapshot must not present a comm-fail null as a meter reading. */
  values(device: string, points?: readonly string[]): Record<string, WireValue> {
    const out: Record<string, WireValue> = {};
    for (const [point, entry] of this.byDevice.get(device) ?? []) {
      if (entry.quality === 'good' && (points === undefined || points.includes(point))) out[point] = entry.value;
    }
    return out;
  }

  devices(): string[] {
    return [...this.byDevice.keys()];
  }
}
