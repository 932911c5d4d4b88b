// The shapes of the fleet server's HTTP API (docs/api.md) this page uses. The dashboard is a
// separate program that talks HTTP, so it declares what it reads instead of importing server code.

export type Role = 'admin' | 'engineer' | 'manager';
export type Severity = 'critical' | 'major' | 'minor' | 'info';
export type AlertState = 'raised' | 'notified' | 'acknowledged' | 'resolved';
export type Quality = 'good' | 'stale' | 'comm-fail';
export type WireValue = number | boolean | string | boolean[] | null;

export interface User {
  id: string;
  name: string;
  role: Role;
  sites: string[];
}

export interface Me {
  user: User;
  tokenId: string;
}

export interface Site {
  id: string;
  name: string;
  timezone: string;
}

export interface Gateway {
  id: string;
  site: string;
  name: string;
  status: 'unknown' | 'online' | 'offline';
  lastSeenAt: number | null;
}

export interface Alert {
  id: number;
  gateway: string;
  device: string;
  rule: string;
  state: AlertState;
  severity: Severity;
  message: string;
  raisedAt: number;
  updatedAt: number;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  resolvedAt: number | null;
}

export type TimelineEntry =
  | { at: number; kind: 'raised'; severity: Severity; message: string }
  | {
      at: number;
      kind: 'notification';
      notification: number;
      recipient: string;
      step: number | null;
      round: number | null;
      contact: string | null;
      status: string;
    }
  | { at: number; kind: 'attempt'; notification: number; attempt: number; outcome: string; reply: string | null; recipient: string }
  | { at: number; kind: 'acknowledged'; by: string; via: string }
  | { at: number; kind: 'resolved'; by: string; reason: string | null }
  | { at: number; kind: 'audit'; action: string; by: string };

export interface AlertWithTimeline extends Alert {
  timeline: TimelineEntry[];
}

export interface DurationStats {
  count: number;
  medianMs: number | null;
  worstMs: number | null;
}

export interface SeverityCounts {
  critical: number;
  major: number;
  minor: number;
  info: number;
  total: number;
}

export interface SiteOverview {
  id: string;
  name: string;
  timezone: string;
  /** Where this site's "today" starts: its local midnight in `timezone` (epoch ms). */
  from: number;
  /** unknown: never connected. */
  gateways: { total: number; online: number; offline: number; unknown: number };
  devices: { total: number; down: number };
  alerts: { open: SeverityCounts; unacknowledged: number };
  timeToAck: DurationStats;
  timeToResolve: DurationStats;
}

export interface Overview {
  from: number;
  to: number;
  sites: SiteOverview[];
}

export type Family = 'elevator' | 'parking' | 'water-meter' | 'signal-cabinet';

export interface PointReading {
  point: string;
  value: WireValue;
  quality: Quality;
  ts: number;
}

export interface DeviceValue extends PointReading {
  name: string | null;
  unit: string | null;
  /** The profile's enum label of the value (server-side); live updates leave it null. */
  label?: string | null;
}

export interface SiteDevice {
  gateway: string;
  device: string;
  name: string | null;
  location: string | null;
  profile: string | null;
  family: Family | null;
  state: string;
  gatewayStatus: string;
  lastGoodAt: number | null;
  values: DeviceValue[];
}

export interface SiteDevices {
  site: Site | string;
  items: SiteDevice[];
}

export interface ProfilePoint {
  id: string;
  name: string;
  unit?: string | null;
  enum?: Record<string, string> | null;
  labels?: Record<string, string> | null;
  type?: string;
}

export interface ProfileCommand {
  id: string;
  name: string;
  params?: { name: string; type: string; min?: number; max?: number; description?: string }[];
}

export interface Profile {
  id: string;
  family: Family | null;
  points: ProfilePoint[];
  commands: ProfileCommand[];
}

export interface RawReading {
  ts: number;
  value: WireValue;
  quality: Quality;
}

export interface RollupHour {
  hour: number;
  count: number;
  min: number | null;
  max: number | null;
  avg: number | null;
  last: WireValue;
}

export interface Telemetry<T> {
  mode: 'raw' | 'rollup';
  from: number;
  to: number;
  truncated: boolean;
  items: T[];
}

export interface Command {
  id: string;
  gateway: string;
  device: string;
  state: 'pending' | 'unanswered' | 'ok' | 'rejected' | 'expired' | 'failed' | 'not-confirmed';
  request: { command?: string; params?: Record<string, unknown> };
  result: { status: string; reason?: string; readBack?: Record<string, unknown> } | null;
}

/** Live stream events (GET /api/v1/events). */
export interface AlertEvent {
  change: string;
  site: string;
  alert: Alert;
}
export interface GatewayEvent {
  gateway: string;
  site: string;
  status: Gateway['status'];
  at: number;
}
export interface ValuesEvent {
  gateway: string;
  site: string;
  device: string;
  values: PointReading[];
}
export interface CommandEvent {
  site: string;
  command: Command;
}
export type LiveEvent =
  | { type: 'alert'; data: AlertEvent }
  | { type: 'gateway'; data: GatewayEvent }
  | { type: 'values'; data: ValuesEvent }
  | { type: 'command'; data: CommandEvent };
