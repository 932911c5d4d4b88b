// Today's water consumption from the meter's forward totaliser (aquametrix-um50 `total-volume`,
// m³): the latest reading minus the first good reading since local midnight.

export interface TotalReading {
  ts: number;
  value: unknown;
  quality?: string;
}

const good = (r: TotalReading): r is TotalReading & { value: number } =>
  typeof r.value === 'number' && Number.isFinite(r.value) && (r.quality === undefined || r.quality === 'good');

/**
 * null when there is no good reading today, or when the total went down (meter replaced:
 * a negative consumption would be a lie; the profile's meter-replaced alert says why).
 */
export function todaysConsumption(readingsToday: readonly TotalReading[], latest?: TotalReading | null): number | null {
  const goodOnes = readingsToday.filter(good).sort((a, b) => a.ts - b.ts);
  const first = goodOnes[0];
  if (first === undefined) return null;
  const candidates = latest !== undefined && latest !== null && good(latest) ? [...goodOnes, latest] : goodOnes;
  const last = candidates.reduce((a, b) => (b.ts >= a.ts ? b : a));
  const used = last.value - first.value;
  return used < 0 ? null : used;
}
