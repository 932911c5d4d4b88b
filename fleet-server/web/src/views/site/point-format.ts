// Formats a device's latest values with its profile's names, units, enum and bit labels.
import type { Profile, ProfilePoint, SiteDevice } from '../../api/types.js';
import { formatValue } from '../../lib/format.js';
import { valueOf } from '../../lib/device-values.js';

export class PointFormat {
  constructor(private readonly profiles: ReadonlyMap<string, Profile>) {}

  point(d: SiteDevice, point: string): ProfilePoint | undefined {
    return d.profile === null ? undefined : this.profiles.get(d.profile)?.points.find((p) => p.id === point);
  }

  /** The point's value as text, "—" without a (good) value. */
  text(d: SiteDevice, point: string): string {
    const v = valueOf(d, point);
    if (v === undefined) return '—';
    const p = this.point(d, point);
    const label = v.label;
    const enumMap = p?.enum ?? null;
    if (enumMap === null && label && typeof v.value === 'number') return label;
    return formatValue(v.value, { unit: p?.unit ?? v.unit, enumMap, labels: p?.labels ?? null });
  }

  /** The point's enum label (or raw text) for comparisons: "flash", "closed", "none". */
  label(d: SiteDevice, point: string): string | null {
    const v = valueOf(d, point);
    if (v === undefined || v.value === null) return null;
    const p = this.point(d, point);
    return p?.enum?.[String(v.value)] ?? v.label ?? String(v.value);
  }

  bool(d: SiteDevice, point: string): boolean | null {
    const v = valueOf(d, point)?.value;
    return typeof v === 'boolean' ? v : null;
  }

  num(d: SiteDevice, point: string): number | null {
    const v = valueOf(d, point)?.value;
    return typeof v === 'number' ? v : null;
  }

  name(d: SiteDevice, point: string): string {
    return this.point(d, point)?.name ?? valueOf(d, point)?.name ?? point;
  }
}
