import { describe, expect, it } from 'vitest';
import type { GatewayEvent } from '@edgefleet/protocol';
import { alertChangeOf, evaluateServerRules, type GatewayState, type ServerRulesConfig } from '../../src/alerts/index.js';

const config: ServerRulesConfig = { healthIntervalMs: 60_000, silentAfterIntervals: 3, staleDataMs: 600_000 };
const NOW = 10_000_000;
const gw = (over: Partial<GatewayState> = {}): GatewayState => ({ id: 'gw-1', status: 'online', lastSeenAt: NOW, lastHealthAt: null, ...over });
const rulesOf = (gateways: GatewayState[], lastTelemetryAt: number | null = NOW): string[] =>
  evaluateServerRules({ config, gateways, devices: [{ gateway: 'gw-1', device: 'lift-1', lastTelemetryAt }] }, NOW)
    .map((c) => `${c.key.device}/${c.key.rule}/${c.severity}`);

describe('evaluateServerRules', () => {
  it.each([
    ['healthy', [gw()], NOW, []],
    ['reported offline (last will)', [gw({ status: 'offline' })], NOW, ['-/gateway-silent/major']],
    ['health exactly K intervals old is not yet silent', [gw({ lastSeenAt: null, lastHealthAt: NOW - 180_000 })], NOW, []],
    ['health 1 ms older than K intervals is silent', [gw({ lastSeenAt: null, lastHealthAt: NOW - 180_001 })], NOW, ['-/gateway-silent/major']],
    ['a fresh health report outweighs an old last-seen', [gw({ lastSeenAt: 0, lastHealthAt: NOW - 1 })], NOW, []],
    ['a gateway never seen is not judged', [gw({ status: 'unknown', lastSeenAt: null })], null, []],
    ['telemetry exactly staleDataMs old is fresh', [gw()], NOW - 600_000, []],
    ['telemetry older than staleDataMs is stale', [gw()], NOW - 600_001, ['lift-1/stale-data/minor']],
    ['a silent gateway does not also report its devices stale', [gw({ status: 'offline' })], 0, ['-/gateway-silent/major']],
  ] as const)('%s', (_name, gateways, lastTelemetryAt, expected) => {
    expect(rulesOf([...gateways], lastTelemetryAt)).toEqual(expected);
  });

  it('stale data is off without staleDataMs', () => {
    const off = { healthIntervalMs: 60_000, silentAfterIntervals: 3 };
    expect(evaluateServerRules({ config: off, gateways: [gw()], devices: [{ gateway: 'gw-1', device: 'd', lastTelemetryAt: 0 }] }, NOW)).toEqual([]);
  });
});

describe('alertChangeOf', () => {
  const base = { seq: 1, ts: 5 };
  it.each([
    [{ ...base, type: 'alarm', device: 'lift-1', rule: 'entrapment', state: 'raise', severity: 'critical', message: 'Trapped', values: {} }, 'raise lift-1/entrapment critical'],
    [{ ...base, type: 'alarm', device: 'lift-1', rule: 'entrapment', state: 'clear', severity: 'critical', message: 'Trapped', values: {} }, 'clear lift-1/entrapment'],
    [{ ...base, type: 'device', device: 'meter-3', state: 'offline', reason: 'timeout' }, 'raise meter-3/device-offline major'],
    [{ ...base, type: 'device', device: 'meter-3', state: 'online' }, 'clear meter-3/device-offline'],
    [{ ...base, type: 'bus', bus: 'rs485-1', state: 'down' }, 'raise bus:rs485-1/bus-down major'],
    [{ ...base, type: 'bus', bus: 'rs485-1', state: 'up' }, 'clear bus:rs485-1/bus-down'],
  ] as const)('%j → %s', (event, expected) => {
    const change = alertChangeOf('gw-1', event as GatewayEvent);
    const text = change && `${change.kind} ${change.key.device}/${change.key.rule}${change.kind === 'raise' ? ` ${change.severity}` : ''}`;
    expect(text).toBe(expected);
  });

  it('ignores snapshots', () => {
    expect(alertChangeOf('gw-1', { ...base, type: 'snapshot', schedule: 'daily', device: 'm', values: {} })).toBeUndefined();
  });
});
