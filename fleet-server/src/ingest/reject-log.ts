import type { Logger } from 'pino';

/**
 * Logs rejects at most once per interval per (gateway, reason), with the count suppressed since,
 * so a gateway spraying garbage cannot flood the log (the metrics count every one).
 */
export class RejectLog {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(private readonly logger: Logger, private readonly now: () => number, private readonly intervalMs = 10_000) {}

  note(gatewayId: string, channel: string, reason: string, detail: string): void {
    const key = `${gatewayId}\u0000${reason}`;
    const t = this.now();
    const entry = this.last.get(key);
    if (entry !== undefined && t - entry.at < this.intervalMs) {
      entry.suppressed += 1;
      return;
    }
    this.logger.warn({ gatewayId, channel, reason, detail, suppressed: entry?.suppressed ?? 0 }, 'uplink message rejected');
    this.last.set(key, { at: t, suppressed: 0 });
  }
}
