import { describe, it, expect } from 'vitest';
import { isAllowedWill, mayPublish, mayPublishOrphanWill, maySubscribe } from '../../src/broker/acl.js';

describe('topic ACL', () => {
  it.each([
    ['fleet/v1/gw/gw-a/telemetry', true],
    ['fleet/v1/gw/gw-a/events', true],
    ['fleet/v1/gw/gw-a/status', true],
    ['fleet/v1/gw/gw-a/health', true],
    ['fleet/v1/gw/gw-a/cmd-result', true],
    ['fleet/v1/gw/gw-a/config', false], // downlink: only the server writes it
    ['fleet/v1/gw/gw-a/cmd', false],
    ['fleet/v1/gw/gw-b/telemetry', false],
    ['fleet/v1/gw/gw-a/telemetry/extra', false],
    ['fleet/v1/gw/gw-a/unknown', false],
    ['$SYS/broker/uptime', false],
    ['$share/x/fleet/v1/gw/gw-a/telemetry', false],
    ['other/topic', false],
  ])('gw-a may publish to %s: %s', (topic, allowed) => {
    expect(mayPublish('gw-a', topic)).toBe(allowed);
  });

  it.each([
    ['fleet/v1/gw/gw-a/config', true],
    ['fleet/v1/gw/gw-a/cmd', true],
    ['fleet/v1/gw/gw-b/cmd', false],
    ['fleet/v1/gw/gw-a/telemetry', false],
    ['fleet/v1/gw/gw-a/#', false],
    ['fleet/v1/gw/+/cmd', false],
    ['fleet/v1/gw/+/telemetry', false],
    ['#', false],
    ['$SYS/#', false],
  ])('gw-a may subscribe to %s: %s', (filter, allowed) => {
    expect(maySubscribe('gw-a', filter)).toBe(allowed);
  });

  it('the will must be the own status topic', () => {
    expect(isAllowedWill('gw-a', 'fleet/v1/gw/gw-a/status')).toBe(true);
    expect(isAllowedWill('gw-a', 'fleet/v1/gw/gw-b/status')).toBe(false);
    expect(isAllowedWill('gw-a', 'fleet/v1/gw/gw-a/telemetry')).toBe(false);
  });

  it('a will with no client (dead peer broker) passes only for a status topic', () => {
    expect(mayPublishOrphanWill('fleet/v1/gw/gw-b/status')).toBe(true);
    expect(mayPublishOrphanWill('fleet/v1/gw/gw-b/cmd')).toBe(false);
    expect(mayPublishOrphanWill('$SYS/x')).toBe(false);
  });
});
