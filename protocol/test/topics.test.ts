import { describe, expect, it } from 'vitest';
import { CHANNEL_DELIVERY, CHANNELS, gatewayPrefix, parseTopic, topicFor } from '../src/index.js';

describe('topics', () => {
  it.each(CHANNELS)('round-trips the %s channel', (channel) => {
    expect(parseTopic(topicFor('gw-01', channel))).toEqual({ gatewayId: 'gw-01', channel });
    expect(topicFor('gw-01', channel).startsWith(gatewayPrefix('gw-01'))).toBe(true);
  });

  it.each([
    'fleet/v1/gw/gw-01/unknown',
    'fleet/v1/gw/GW/telemetry',
    'fleet/v1/gw/+/telemetry',
    'fleet/v1/gw/gw-01/telemetry/extra',
    'fleet/v2/gw/gw-01/telemetry',
    '$SYS/broker/uptime',
  ])('rejects %s', (topic) => {
    expect(parseTopic(topic)).toBeUndefined();
  });

  it('refuses to build a topic from an id that would escape its level', () => {
    expect(() => topicFor('a/b', 'telemetry')).toThrow(/invalid gateway id/);
    expect(() => topicFor('#', 'cmd')).toThrow(/invalid gateway id/);
  });

  it('retains exactly status and config', () => {
    expect(CHANNELS.filter((c) => CHANNEL_DELIVERY[c].retain).sort()).toEqual(['config', 'status']);
  });
});
