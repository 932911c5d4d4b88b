import { randomUUID } from 'node:crypto';
import { WIRE_VERSION, type GatewayHealth } from '@edgefleet/protocol';
import type { OutboxStats } from '../outbox/outbox-types.js';
import type { BusHealth, DeviceHealth } from '../poller/poller-types.js';

export interface HealthSources {
  gatewayId: string;
  outbox(): OutboxStats;
  buses(): BusHealth[];
  devices(): DeviceHealth[];
  configVersion(): number;
  now(): number;
}

/** Builds the periodic health message; bootId + seq let the server order them and spot restarts. */
export class HealthReporter {
  private readonly bootId = randomUUID();
  private readonly startedAt: number;
  private seq = 0;

  constructor(private readonly sources: HealthSources) {
    this.startedAt = sources.now();
  }

  build(): GatewayHealth {
    const now = this.sources.now();
    const outbox = this.sources.outbox();
    return {
      v: WIRE_VERSION,
      gateway: this.sources.gatewayId,
      bootId: this.bootId,
      seq: ++this.seq,
      ts: now,
      uptimeS: (now - this.startedAt) / 1000,
      outbox: {
        events: { depth: outbox.events.depth, ...(outbox.events.oldestTs !== undefined ? { oldestTs: outbox.events.oldestTs } : {}) },
        telemetry: {
          depth: outbox.telemetry.depth,
          dropped: outbox.telemetry.dropped,
          ...(outbox.telemetry.oldestTs !== undefined ? { oldestTs: outbox.telemetry.oldestTs } : {}),
        },
        bytes: outbox.bytes,
        maxBytes: outbox.maxBytes,
      },
      buses: this.sources.buses(),
      devices: this.sources.devices(),
      // The gateway cannot see NTP state portably; the server compares ts with its own clock.
      clock: { source: 'system' },
      config: { version: this.sources.configVersion() },
    };
  }
}
