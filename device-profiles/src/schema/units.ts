/**
 * Units a profile may use. A closed list catches typos ("degC" vs "°C") that would otherwise
 * reach dashboards and SMS texts. Extend deliberately.
 */
export const KNOWN_UNITS = [
  // dimensionless and counts
  '', '%', 'count', 'floor', 'trips', 'vehicles', 'bays', 'index', 'phase',
  // time
  'ms', 's', 'min', 'h',
  // motion
  'm', 'mm', 'm/s', 'mm/s', 'm/s²', 'Hz', 'rpm',
  // electrical
  'V', 'mV', 'A', 'mA', 'W', 'kW', 'kWh', 'Ah',
  // temperature and pressure
  '°C', 'K', 'bar', 'kPa', 'Pa',
  // volume and flow
  'L', 'm³', 'L/s', 'L/h', 'm³/h',
  // mass, load
  'kg', 't',
] as const;

export type KnownUnit = (typeof KNOWN_UNITS)[number];

export function isKnownUnit(unit: string): unit is KnownUnit {
  return (KNOWN_UNITS as readonly string[]).includes(unit);
}
