import { describe, expect, it } from 'vitest';
import { assertUplinkTopic, buildClientOptions, downlinkChannelOf, isUplinkError, resolveUplinkOptions, topicsOf } from '../../src/uplink/index.js';

describe('resolveUplinkOptions', () => {
  it('defaults the client id to the gateway id and fills limits and backoff', () => {
    const r = resolveUplinkOptions('gw-1', { url: 'mqtts://broker.example:8883' });
    expect(r).toMatchObject({ clientId: 'gw-1', limits: { window: 8, telemetryBatch: 500, eventBatch: 100 }, backoff: { initialMs: 1_000, maxMs: 60_000 }, stopDeadlineMs: 3_000 });
  });

  it.each([
    ['http://broker:1883', {}, /scheme must be mqtt/],
    ['not a url', {}, /is not a URL/],
    ['mqtt://b:1883', { limits: { window: 0 } }, /limits.window/],
    ['mqtt://b:1883', { limits: { telemetryBatch: 10_001 } }, /telemetryBatch must be 1..10000/],
    ['mqtt://b:1883', { limits: { eventBatch: 1_001 } }, /eventBatch must be 1..1000/],
    ['mqtt://b:1883', { backoff: { jitter: 2 } }, /jitter/],
  ])('refuses %s %o naming the option', (url, extra, message) => {
    let err: unknown;
    try {
      resolveUplinkOptions('gw-1', { url, ...extra });
    } catch (e) {
      err = e;
    }
    expect(isUplinkError(err) && err.code).toBe('UPLINK_OPTIONS_INVALID');
    expect((err as Error).message).toMatch(message);
  });

  it('refuses a gateway id that is not a slug', () => {
    expect(() => resolveUplinkOptions('GW 1', { url: 'mqtt://b' })).toThrow(/not a lower-case slug/);
  });
});

describe('buildClientOptions', () => {
  it('asks for MQTT 3.1.1, a persistent session, no library reconnect, no QoS 0 queue, a retained QoS 1 will', () => {
    const options = { url: 'mqtts://b:8883', username: 'gw-1', password: 'secret', tls: { ca: 'CA PEM', rejectUnauthorized: true } };
    const built = buildClientOptions(options, resolveUplinkOptions('gw-1', options), { topic: 'fleet/v1/gw/gw-1/status', payload: '{"state":"offline"}' });
    expect(built).toMatchObject({ protocolVersion: 4, clean: false, clientId: 'gw-1', username: 'gw-1', password: 'secret', ca: 'CA PEM', rejectUnauthorized: true, reconnectPeriod: 0, resubscribe: false, queueQoSZero: false });
    expect(built.will).toMatchObject({ topic: 'fleet/v1/gw/gw-1/status', qos: 1, retain: true });
    expect(String(built.will?.payload)).toBe('{"state":"offline"}');
  });

  it('uses a configured client id instead of the gateway id', () => {
    const options = { url: 'mqtt://b', clientId: 'site-7-box' };
    expect(buildClientOptions(options, resolveUplinkOptions('gw-1', options), { topic: 't', payload: 'p' }).clientId).toBe('site-7-box');
  });
});

describe('uplink topics', () => {
  it('builds every channel of the gateway', () => {
    expect(topicsOf('gw-1')).toEqual({
      telemetry: 'fleet/v1/gw/gw-1/telemetry', events: 'fleet/v1/gw/gw-1/events', status: 'fleet/v1/gw/gw-1/status', health: 'fleet/v1/gw/gw-1/health',
      'cmd-result': 'fleet/v1/gw/gw-1/cmd-result', config: 'fleet/v1/gw/gw-1/config', cmd: 'fleet/v1/gw/gw-1/cmd',
    });
  });

  it.each([
    'fleet/v1/gw/gw-2/telemetry',
    'fleet/v1/gw/gw-1/config',
    'fleet/v1/gw/gw-1/cmd',
    'fleet/v1/gw/gw-1/#',
    'fleet/v1/gw/gw-1/telemetry/extra',
    '$SYS/broker/uptime',
  ])('refuses to publish to %s (UPLINK_TOPIC_DENIED)', (topic) => {
    expect(() => assertUplinkTopic('gw-1', topic)).toThrow(expect.objectContaining({ code: 'UPLINK_TOPIC_DENIED' }));
  });

  it('recognises only its own downlink channels on receipt', () => {
    expect(downlinkChannelOf('gw-1', 'fleet/v1/gw/gw-1/config')).toBe('config');
    expect(downlinkChannelOf('gw-1', 'fleet/v1/gw/gw-1/cmd')).toBe('cmd');
    expect(downlinkChannelOf('gw-1', 'fleet/v1/gw/gw-2/cmd')).toBeUndefined();
    expect(downlinkChannelOf('gw-1', 'fleet/v1/gw/gw-1/telemetry')).toBeUndefined();
  });
});
