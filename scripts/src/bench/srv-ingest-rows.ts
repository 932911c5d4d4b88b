import type { Reading, TelemetryBatch } from '@edgefleet/protocol';

/** Lifts per simulated gateway and the fast points read from each per poll cycle (liftronic-lmi-200). */
export const LIFTS_PER_GATEWAY = 4;
const POINTS = [
  'floor', 'direction', 'moving', 'levelled', 'alarm-button', 'safety-circuit-open',
  'door-lock-open', 'door-state', 'speed', 'fault-code', 'mode', 'load',
] as const;
const DIRECTIONS = ['stopped', 'up', 'down'] as const;
const DOORS = ['closed', 'opening', 'open', 'closing'] as const;
const START_TS = 1_790_000_000_000;
const CYCLE_MS = 1_000;
const PER_CYCLE = LIFTS_PER_GATEWAY * POINTS.length;

/** A plausible value of `point` for poll cycle `cycle` of lift `lift` (types as the codec decodes them). */
function valueOf(point: (typeof POINTS)[number], cycle: number, lift: number): Reading['value'] {
  const phase = cycle + lift * 7;
  switch (point) {
    case 'floor': return (phase >> 2) % 12;
    case 'direction': return DIRECTIONS[phase % 3] ?? 'stopped';
    case 'moving': return phase % 3 !== 0;
    case 'levelled': return phase % 3 === 0;
    case 'door-state': return DOORS[phase % 4] ?? 'closed';
    case 'speed': return phase % 3 === 0 ? 0 : Math.round(1.6 * ((phase % 10) / 10) * 100) / 100;
    case 'fault-code': return 'none';
    case 'mode': return 'normal';
    case 'load': return (phase * 13) % 100;
    default: return false;
  }
}

/**
 * Readings `from`..`from+count-1` (0-based) of one gateway, as its outbox holds them after an
 * outage: each poll cycle reads the 12 fast points of its 4 lifts at one timestamp, so a batch of
 * 200 holds ~4 readings of each (device, point). seq = index + 1.
 */
export function gatewayReadings(from: number, count: number): Reading[] {
  return Array.from({ length: count }, (_, k) => {
    const j = from + k;
    const cycle = Math.floor(j / PER_CYCLE);
    const within = j % PER_CYCLE;
    const lift = Math.floor(within / POINTS.length);
    const point = POINTS[within % POINTS.length] ?? 'floor';
    return { seq: j + 1, device: `lift-${lift + 1}`, point, ts: START_TS + cycle * CYCLE_MS, value: valueOf(point, cycle, lift), quality: 'good' };
  });
}

/** Batch `index` of a gateway's telemetry, as the uplink publishes it. */
export function telemetryBatch(gatewayId: string, index: number, size: number): TelemetryBatch {
  const items = gatewayReadings(index * size, size);
  return { v: 1, gateway: gatewayId, stream: 'telemetry', sentAt: (items.at(-1)?.ts ?? START_TS) + 50, items };
}

export const gatewayIdOf = (i: number): string => `gw-ingest-${String(i + 1).padStart(3, '0')}`;
