import { describe, expect, it } from 'vitest';
import { CommandRequest, CommandResult, DesiredConfig, EventBatch, GatewayHealth, TelemetryBatch } from '../src/index.js';

const reading = { seq: 1, device: 'lift-a', point: 'floor', ts: 1_700_000_000_000, value: 3, quality: 'good' };

describe('payload schemas', () => {
  it('accepts a telemetry batch and rejects unknown fields, bad quality and empty batches', () => {
    const batch = { v: 1, gateway: 'gw-01', stream: 'telemetry', sentAt: 1_700_000_000_100, items: [reading] };
    expect(TelemetryBatch.safeParse(batch).success).toBe(true);
    expect(TelemetryBatch.safeParse({ ...batch, extra: 1 }).success).toBe(false);
    expect(TelemetryBatch.safeParse({ ...batch, items: [{ ...reading, quality: 'ok' }] }).success).toBe(false);
    expect(TelemetryBatch.safeParse({ ...batch, items: [] }).success).toBe(false);
    expect(TelemetryBatch.safeParse({ ...batch, items: [{ ...reading, seq: 0 }] }).success).toBe(false);
  });

  it('tells event types apart', () => {
    const batch = {
      v: 1,
      gateway: 'gw-01',
      stream: 'events',
      sentAt: 1,
      items: [
        { seq: 1, ts: 1, type: 'alarm', device: 'lift-a', rule: 'entrapment', state: 'raise', severity: 'critical', message: 'trapped', values: { floor: 3 } },
        { seq: 2, ts: 2, type: 'device', device: 'lift-b', state: 'offline', reason: 'timeout' },
        { seq: 3, ts: 3, type: 'notice', level: 'warn', code: 'LIMITS_LEARNED', message: 'x' },
      ],
    };
    expect(EventBatch.safeParse(batch).success).toBe(true);
    const bad = { ...batch, items: [{ seq: 1, ts: 1, type: 'alarm', device: 'lift-a' }] };
    expect(EventBatch.safeParse(bad).success).toBe(false);
  });

  it('takes an optional outbox epoch (absent for older gateways) on batches and command results, never negative or fractional', () => {
    const telemetry = { v: 1, gateway: 'gw-01', stream: 'telemetry', sentAt: 1, items: [reading] };
    const events = { v: 1, gateway: 'gw-01', stream: 'events', sentAt: 1, items: [{ seq: 1, ts: 1, type: 'bus', bus: 'rs1', state: 'down' }] };
    const result = { v: 1, gateway: 'gw-01', stream: 'events', seq: 4, id: 'c1', device: 'cab-1', status: 'ok', ts: 1 };
    for (const [schema, payload] of [[TelemetryBatch, telemetry], [EventBatch, events], [CommandResult, result]] as const) {
      expect(schema.safeParse(payload).success).toBe(true);
      expect(schema.safeParse({ ...payload, epoch: 0 }).success).toBe(true);
      expect(schema.safeParse({ ...payload, epoch: 1_790_000_000_000 }).success).toBe(true);
      expect(schema.safeParse({ ...payload, epoch: -1 }).success).toBe(false);
      expect(schema.safeParse({ ...payload, epoch: 1.5 }).success).toBe(false);
    }
  });

  it('requires a command to name either a profile command or a point write, and to expire after it was issued', () => {
    const base = { v: 1, id: 'c1', device: 'cab-1', issuedAt: 10, expiresAt: 20 };
    expect(CommandRequest.safeParse({ ...base, command: 'set-flash' }).success).toBe(true);
    expect(CommandRequest.safeParse({ ...base, write: { point: 'mode', value: 2 } }).success).toBe(true);
    expect(CommandRequest.safeParse(base).success).toBe(false);
    expect(CommandRequest.safeParse({ ...base, command: 'set-flash', write: { point: 'mode', value: 2 } }).success).toBe(false);
    expect(CommandRequest.safeParse({ ...base, command: 'set-flash', expiresAt: 5 }).success).toBe(false);
  });

  it('fills managed-config defaults', () => {
    const desired = DesiredConfig.parse({ v: 1, version: 3, issuedAt: 1, config: { buses: [{ id: 'rs1', kind: 'rtu', path: '/dev/ttyUSB0' }] } });
    expect(desired.config.buses[0]).toMatchObject({ baud: 9600, parity: 'even', timeout: '500ms' });
    expect(desired.config.polling).toMatchObject({ fast: '1s', offlineAfter: 3 });
  });

  it('validates a health message', () => {
    const health = {
      v: 1,
      gateway: 'gw-01',
      bootId: 'b1',
      seq: 1,
      ts: 1,
      uptimeS: 1,
      outbox: { events: { depth: 0 }, telemetry: { depth: 5, dropped: 0 }, bytes: 100, maxBytes: 1000 },
      buses: [{ id: 'rs1', kind: 'rtu', state: 'up', transactions: 10, errors: { MODBUS_TIMEOUT: 1 }, rate: 2.5 }],
      devices: [{ id: 'lift-a', bus: 'rs1', state: 'online', polls: 10, failures: 0 }],
      clock: { source: 'system' },
      config: { version: 0 },
    };
    expect(GatewayHealth.safeParse(health).success).toBe(true);
  });
});
