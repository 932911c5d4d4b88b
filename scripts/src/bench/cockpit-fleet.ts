import mqtt, { type MqttClient } from 'mqtt';
import type { Point, Profile, ProfileRegistry } from '@edgefleet/device-profiles';
import { CHANNEL_DELIVERY, topicFor, WIRE_VERSION, type Severity, type UplinkChannel, type WireValue } from '@edgefleet/protocol';

/** The fleet the overview renders: SITES × GATEWAYS_PER_SITE gateways of DEVICES_PER_GATEWAY devices. */
export const FLEET = { sites: 5, gatewaysPerSite: 2, devicesPerGateway: 50 } as const;
const PROFILES = ['liftronic-lmi-200', 'parksense-pgc-128', 'aquametrix-um50', 'semaforo-tsc-8'] as const;
const SEVERITIES: readonly Severity[] = ['critical', 'major', 'minor', 'info'];

export const siteId = (s: number): string => `site-${s + 1}`;
export const gatewayId = (s: number, g: number): string => `gw-${s + 1}-${g + 1}`;
export const deviceId = (d: number): string => `dev-${String(d + 1).padStart(3, '0')}`;
export const profileOf = (d: number): string => PROFILES[d % PROFILES.length] ?? PROFILES[0];

/** A plausible value of the point's type, so every view has something of the right shape to show. */
function sampleValue(p: Point, d: number): WireValue {
  if (p.type === 'bool') return false;
  if (p.type === 'bits') return Array.from({ length: p.count ?? 1 }, () => false);
  if (p.enum) return Object.values(p.enum)[0] ?? null;
  if (p.type === 'string') return `S${d}`;
  return p.min ?? 0;
}

/**
 * One fake gateway on the real broker, with a real gateway's credentials: it publishes the wire
 * contract's status, health, telemetry and alarm events as a gateway would, so the server's own
 * ingest and alert engine do the rest.
 */
export class FakeGateway {
  private readonly seqs = new Map<string, number>();
  private readonly epoch = Date.now();

  private constructor(readonly id: string, private readonly client: MqttClient) {}

  static async connect(brokerPort: number, id: string, secret: string): Promise<FakeGateway> {
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${brokerPort}`, { clientId: id, username: id, password: secret, reconnectPeriod: 0 });
    return new FakeGateway(id, client);
  }

  private nextSeq(stream: string): number {
    const seq = (this.seqs.get(stream) ?? 0) + 1;
    this.seqs.set(stream, seq);
    return seq;
  }

  private async publish(channel: UplinkChannel, payload: object): Promise<void> {
    const { qos, retain } = CHANNEL_DELIVERY[channel];
    await this.client.publishAsync(topicFor(this.id, channel), JSON.stringify({ v: WIRE_VERSION, gateway: this.id, ...payload }), { qos, retain });
  }

  /** Online, then a health report naming every device (so the server learns them), then one reading of every point. */
  async report(registry: ProfileRegistry, devices: number, offline: ReadonlySet<number>): Promise<void> {
    const ts = Date.now();
    await this.publish('status', { state: 'online', ts, config: { version: 0 } });
    const profiles = Array.from({ length: devices }, (_, d) => registry.get(profileOf(d)) as Profile);
    await this.publish('health', {
      bootId: `boot-${this.epoch}`, seq: 1, ts, uptimeS: 60,
      outbox: { events: { depth: 0 }, telemetry: { depth: 0, dropped: 0 }, bytes: 0, maxBytes: 64 << 20 },
      buses: [{ id: 'bus-1', kind: 'tcp', state: 'up', transactions: 1000, errors: {}, rate: 10 }],
      devices: profiles.map((p, d) => ({
        id: deviceId(d), bus: 'bus-1', profile: p.id, unit: (d % 247) + 1, name: `Device ${d + 1}`,
        state: offline.has(d) ? 'offline' : 'online', polls: 100, failures: offline.has(d) ? 3 : 0, lastGoodAt: ts,
      })),
      clock: { source: 'system' }, config: { version: 0 },
    });
    const items = profiles.flatMap((p, d) => p.points.map((point) => ({
      seq: this.nextSeq('telemetry'), device: deviceId(d), point: point.id, ts,
      value: offline.has(d) ? null : sampleValue(point, d), quality: offline.has(d) ? 'comm-fail' : 'good',
    })));
    for (let i = 0; i < items.length; i += 5_000) {
      await this.publish('telemetry', { stream: 'telemetry', epoch: this.epoch, sentAt: Date.now(), items: items.slice(i, i + 5_000) });
    }
  }

  /** An edge alarm raised on the device (what the server turns into an alert). */
  async raise(device: string, rule: string, n: number, message: string): Promise<void> {
    const item = { seq: this.nextSeq('events'), ts: Date.now(), type: 'alarm', device, rule, state: 'raise', severity: SEVERITIES[n % SEVERITIES.length], message, values: {} };
    await this.publish('events', { stream: 'events', epoch: this.epoch, sentAt: Date.now(), items: [item] });
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }
}
