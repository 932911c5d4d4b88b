import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigFileError } from '@edgefleet/device-profiles';
import { databasePath, parseServerConfig } from '../../src/config/server-config.js';

const HASH = 'scrypt$16384$8$1$c2FsdA$aGFzaA';
const FILE = '/etc/edgefleet/server.yaml';

function errorOf(text: string): ConfigFileError {
  try {
    parseServerConfig(text, FILE);
  } catch (err) {
    if (err instanceof ConfigFileError) return err;
    throw err;
  }
  throw new Error('config was accepted');
}

describe('server.yaml', () => {
  it('applies defaults and resolves dataDir against the config file', () => {
    const config = parseServerConfig(`dataDir: ../../var/edgefleet\ngateways:\n  - id: gw-a\n    secretHash: "${HASH}"\n`, FILE);
    expect(config.dataDir).toBe(path.resolve('/var/edgefleet'));
    expect(databasePath(config)).toBe(path.resolve('/var/edgefleet/edgefleet.sqlite'));
    expect(config.broker).toEqual({ host: '0.0.0.0', port: 1883 });
    expect(config.http).toEqual({ host: '127.0.0.1', port: 8080, dashboard: { enabled: true }, compression: { enabled: true, threshold: 1024 } });
    expect(config.gateways).toEqual([{ id: 'gw-a', secretHash: HASH, site: 'default' }]);
    expect(config.sms).toEqual({ kind: 'console' });
    expect(config.log.level).toBe('info');
  });

  it('reads http.compression: each key optional, a negative threshold refused by name', () => {
    const config = parseServerConfig(`dataDir: /data\nhttp:\n  compression: { threshold: 4096 }\n`, FILE);
    expect(config.http.compression).toEqual({ enabled: true, threshold: 4096 });
    expect(parseServerConfig(`dataDir: /data\nhttp: { compression: { enabled: false } }\n`, FILE).http.compression).toEqual({ enabled: false, threshold: 1024 });
    expect(errorOf(`dataDir: /data\nhttp:\n  compression: { threshold: -1 }\n`).message).toMatch(/server\.yaml:3:\d+ +http\.compression\.threshold/);
    expect(errorOf(`dataDir: /data\nhttp:\n  compression: { level: 9 }\n`).message).toMatch(/http\.compression/);
  });

  it('names file, line and field of a bad value', () => {
    const err = errorOf(`dataDir: /data\nbroker:\n  port: 70000\n`);
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.message).toContain(FILE);
    expect(err.message).toMatch(/server\.yaml:3:\d+ +broker\.port/);
  });

  it.each([
    ['a plain secret instead of a hash', `dataDir: /d\ngateways:\n  - id: gw-a\n    secretHash: hunter2\n`, /server\.yaml:4:\d+ +gateways\[0\]\.secretHash/],
    ['an unknown site', `dataDir: /d\ngateways:\n  - id: gw-a\n    secretHash: "${HASH}"\n    site: nowhere\n`, /unknown site "nowhere"/],
    ['a gateway listed twice', `dataDir: /d\ngateways:\n  - id: gw-a\n    secretHash: "${HASH}"\n  - id: gw-a\n    secretHash: "${HASH}"\n`, /listed twice/],
    ['an unknown key (strict)', `dataDir: /d\nhttpPort: 80\n`, /httpPort/],
    // The site's "today", SMS times and quiet hours follow its zone: a typo must not start as UTC.
    ['an unknown site time zone', `dataDir: /d\nsites:\n  - id: tower-a\n    name: Tower A\n    timezone: Europe/Madird\n`, /server\.yaml:5:\d+ +sites\[0\]\.timezone.*site "tower-a": unknown time zone "Europe\/Madird"/s],
    ['a bad sms provider', `dataDir: /d\nsms:\n  kind: webhook\n  url: not-a-url\n  secret: short\n`, /sms\.(url|secret)/],
  ])('rejects %s', (_name, text, pattern) => {
    expect(errorOf(text).message).toMatch(pattern);
  });
});
