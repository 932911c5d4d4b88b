import type { Severity } from '@edgefleet/protocol';
import type { AlertResponse, OpenAlertCount } from '../store/store-read-model.js';
import type { Gateway } from '../store/store-types.js';
import { durationStats, type DurationStats } from '../../shared/duration-stats.js';

export { durationStats, type DurationStats };

/** One site's (or all sites') overview figures (docs/api.md "Overview"). */
export interface OverviewFigures {
  /** unknown: never connected (status 'unknown', the store's default until the first status). */
  gateways: { total: number; online: number; offline: number; unknown: number };
  devices: { total: number; down: number };
  alerts: { open: Record<Severity, number> & { total: number }; unacknowledged: number };
  timeToAck: DurationStats;
  timeToResolve: DurationStats;
}

/** Adds up the figures of a site (or of every site, for the totals) as the rows come. */
export class OverviewTally {
  readonly gateways = { total: 0, online: 0, offline: 0, unknown: 0 };
  readonly devices = { total: 0, down: 0 };
  readonly open: Record<Severity, number> & { total: number } = { critical: 0, major: 0, minor: 0, info: 0, total: 0 };
  unacknowledged = 0;
  readonly #ack: number[] = [];
  readonly #resolve: number[] = [];

  addGateway(status: Gateway['status']): void {
    this.gateways.total += 1;
    if (status === 'online') this.gateways.online += 1;
    if (status === 'offline') this.gateways.offline += 1;
    if (status === 'unknown') this.gateways.unknown += 1;
  }

  addDevice(isDown: boolean): void {
    this.devices.total += 1;
    if (isDown) this.devices.down += 1;
  }

  addOpen(row: OpenAlertCount): void {
    this.open[row.severity] += row.count;
    this.open.total += row.count;
    if (row.state !== 'acknowledged') this.unacknowledged += row.count;
  }

  /** Counts the alert's acknowledgement and resolution when each fell in [from, to). */
  addResponse(row: AlertResponse, from: number, to: number): void {
    const within = (at: number | null): at is number => at !== null && at >= from && at < to;
    if (within(row.acknowledgedAt)) this.#ack.push(row.acknowledgedAt - row.raisedAt);
    if (within(row.resolvedAt)) this.#resolve.push(row.resolvedAt - row.raisedAt);
  }

  figures(): OverviewFigures {
    return {
      gateways: { ...this.gateways },
      devices: { ...this.devices },
      alerts: { open: { ...this.open }, unacknowledged: this.unacknowledged },
      timeToAck: durationStats(this.#ack),
      timeToResolve: durationStats(this.#resolve),
    };
  }
}
