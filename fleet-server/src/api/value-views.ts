import { enumLabel, type Profile } from '@edgefleet/device-profiles';
import type { LatestValue } from '../store/store-types.js';

/** One latest value as the API shows it: labelled from the device's profile when it has a known one. */
export interface ValueView {
  point: string;
  value: LatestValue['value'];
  quality: LatestValue['quality'];
  ts: number;
  seq: number;
  /** The profile's point name and unit; null without a known profile (or point). */
  name: string | null;
  unit: string | null;
  /** The profile's enum label of a numeric or boolean value (e.g. mode 2 → "flash"); null when it has none. */
  label: string | null;
}

/** Latest values sorted by point, with the profile's name, unit and enum label of each point. */
export function valueViews(values: readonly LatestValue[], profile: Profile | undefined): ValueView[] {
  const points = new Map(profile?.points.map((p) => [p.id, p]) ?? []);
  return values
    .map((v) => {
      const point = points.get(v.point);
      const raw = v.value;
      const label = point && (typeof raw === 'number' || typeof raw === 'boolean') ? enumLabel(point, raw) : undefined;
      return {
        point: v.point, value: v.value, quality: v.quality, ts: v.ts, seq: v.seq,
        name: point?.name ?? null, unit: point?.unit ?? null, label: label ?? null,
      };
    })
    .sort((a, b) => a.point.localeCompare(b.point));
}
