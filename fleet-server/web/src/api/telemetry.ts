// Telemetry reads (GET /gateways/:id/devices/:device/telemetry) for the charts.
import { api } from './client.js';
import type { RawReading, RollupHour, Telemetry } from './types.js';

function path(gateway: string, device: string): string {
  return `/gateways/${encodeURIComponent(gateway)}/devices/${encodeURIComponent(device)}/telemetry`;
}

export function rawReadings(gateway: string, device: string, point: string, from: number, to: number, limit = 10000): Promise<Telemetry<RawReading>> {
  const q = new URLSearchParams({ point, from: String(from), to: String(to), mode: 'raw', limit: String(limit) });
  return api<Telemetry<RawReading>>(`${path(gateway, device)}?${q}`);
}

export function rollupHours(gateway: string, device: string, point: string, from: number, to: number): Promise<Telemetry<RollupHour>> {
  const q = new URLSearchParams({ point, from: String(from), to: String(to), mode: 'rollup', limit: '10000' });
  return api<Telemetry<RollupHour>>(`${path(gateway, device)}?${q}`);
}
