// Applies a live `values` event to a site's device list: each reading replaces the device's
// value of that point when it is newer. Devices not in the list are ignored (a reload adds them).
import type { PointReading, SiteDevice } from '../api/types.js';

export function applyValues(devices: readonly SiteDevice[], gateway: string, device: string, readings: readonly PointReading[]): SiteDevice[] {
  return devices.map((d) => {
    if (d.gateway !== gateway || d.device !== device) return d;
    const values = d.values.map((v) => ({ ...v }));
    let lastGoodAt = d.lastGoodAt;
    for (const r of readings) {
      const at = values.findIndex((v) => v.point === r.point);
      const current = at >= 0 ? values[at] : undefined;
      if (current !== undefined && current.ts > r.ts) continue;
      const next = { point: r.point, value: r.value, quality: r.quality, ts: r.ts, name: current?.name ?? null, unit: current?.unit ?? null, label: null };
      if (at >= 0) values[at] = next;
      else values.push(next);
      if (r.quality === 'good' && (lastGoodAt === null || r.ts > lastGoodAt)) lastGoodAt = r.ts;
    }
    return { ...d, values, lastGoodAt };
  });
}

/** The device's value of `point`, if it has one. */
export function valueOf(d: SiteDevice, point: string): SiteDevice['values'][number] | undefined {
  return d.values.find((v) => v.point === point);
}

/** A reading's value for a chart: finite numbers as they are, booleans as 1/0, else a gap. */
export function finiteOrNull(v: unknown): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  return typeof v === 'boolean' ? (v ? 1 : 0) : null;
}
