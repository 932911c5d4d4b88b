import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerUrlFor, slugOf } from '../../src/api/enrollment-routes.js';
import { startApiServer } from './api-helpers.js';
import type { ApiTestServer } from './api-helpers.js';

interface Provisioned { token: string; gatewayId: string; site: string; name: string; expiresAt: number }
interface Enrolled { gatewayId: string; site: string; name: string; secret: string; mqtt: { url: string; username: string } }
interface AuditItem { actor: string; action: string; target: string; details: Record<string, unknown> }

let api: ApiTestServer;
let engineer: string;
let manager: string;
beforeAll(async () => {
  api = await startApiServer();
  engineer = await api.userToken({ id: 'erin', role: 'engineer' });
  manager = await api.userToken({ id: 'mona', role: 'manager', sites: ['north'] });
}, 60_000);
afterAll(async () => {
  await api.cleanup();
});

/** Connects as the enrolled gateway; resolves true on CONNACK 0, false on a refusal. */
async function canConnect(url: string, id: string, secret: string): Promise<boolean> {
  const client = mqtt.connect(url, { protocolVersion: 4, clientId: id, username: id, password: secret, reconnectPeriod: 0, connectTimeout: 10_000 });
  try {
    return await new Promise<boolean>((resolve) => {
      client.once('connect', () => resolve(true));
      client.once('error', () => resolve(false));
    });
  } finally {
    client.end(true);
  }
}

describe('POST /gateways/provision and POST /enroll', () => {
  it('trades a one-time token for an identity, a secret the broker accepts at once, and the broker URL', async () => {
    const provisioned = await api.call<Provisioned>('POST', '/gateways/provision', engineer, { site: 'north', name: 'Depot East' });
    expect(provisioned.status).toBe(201);
    expect(provisioned.body).toMatchObject({ gatewayId: 'depot-east', site: 'north', name: 'Depot East', expiresAt: api.clock.now + 3_600_000 });
    expect(provisioned.body.token).toMatch(/^efe_[A-Za-z0-9_-]{43}$/);
    // Nothing exists until the box enrolls.
    expect((await api.call('GET', '/gateways/depot-east', engineer)).status).toBe(404);

    const enrolled = await api.call<Enrolled>('POST', '/enroll', undefined, { token: provisioned.body.token });
    expect(enrolled.status).toBe(201);
    expect(enrolled.body).toMatchObject({
      gatewayId: 'depot-east', site: 'north', name: 'Depot East',
      mqtt: { url: `mqtt://127.0.0.1:${api.server.brokerPort}`, username: 'depot-east' },
    });
    expect(enrolled.body.secret.length).toBeGreaterThanOrEqual(43);
    expect((await api.call('GET', '/gateways/depot-east', engineer)).body).toMatchObject({ id: 'depot-east', site: 'north', name: 'Depot East' });
    expect(await canConnect(enrolled.body.mqtt.url, 'depot-east', enrolled.body.secret)).toBe(true);
    expect(await canConnect(enrolled.body.mqtt.url, 'depot-east', 'not-the-secret')).toBe(false);

    const reused = await api.call('POST', '/enroll', undefined, { token: provisioned.body.token });
    expect(reused.status).toBe(410);
    expect(reused.body.error?.code).toBe('ENROLL_TOKEN_USED');

    const audit = await api.call<{ items: AuditItem[] }>('GET', '/audit?limit=50', api.adminToken);
    const entries = audit.body.items.filter((a) => a.target === 'gateway:depot-east');
    expect(entries.map((a) => [a.action, a.actor]).sort()).toEqual([['gateway.enroll', 'gateway:depot-east'], ['gateway.provision', 'user:erin']]);
    // Neither the token nor the secret is kept in the log.
    expect(JSON.stringify(audit.body)).not.toContain(provisioned.body.token);
    expect(JSON.stringify(audit.body)).not.toContain(enrolled.body.secret);
  }, 60_000);

  it('refuses an unknown token (401) and an expired one (410), each with its code', async () => {
    const unknown = await api.call('POST', '/enroll', undefined, { token: 'efe_nope' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error?.code).toBe('ENROLL_TOKEN_INVALID');

    const provisioned = await api.call<Provisioned>('POST', '/gateways/provision', engineer, { site: 'south', name: 'Kiosk', id: 'kiosk-7', ttl: '1m' });
    expect(provisioned.status).toBe(201);
    api.clock.now += 60_000;
    const expired = await api.call('POST', '/enroll', undefined, { token: provisioned.body.token });
    expect(expired.status).toBe(410);
    expect(expired.body.error).toMatchObject({ code: 'ENROLL_TOKEN_EXPIRED' });
    expect(expired.body.error?.message).toContain('kiosk-7');
    expect((await api.call('GET', '/gateways/kiosk-7', engineer)).status).toBe(404);
  });

  it('refuses bad provisioning requests: role, site, ttl, an existing gateway without replace', async () => {
    expect((await api.call('POST', '/gateways/provision', manager, { site: 'north', name: 'X' })).body.error?.code).toBe('FORBIDDEN');
    expect((await api.call('POST', '/gateways/provision', undefined, { site: 'north', name: 'X' })).status).toBe(401);
    expect((await api.call('POST', '/gateways/provision', engineer, { site: 'west', name: 'X' })).status).toBe(404);
    const ttl = await api.call('POST', '/gateways/provision', engineer, { site: 'north', name: 'X', ttl: '200h' });
    expect(ttl.status).toBe(400);
    expect(ttl.body.error?.message).toMatch(/^body\.ttl: /);
    const noId = await api.call('POST', '/gateways/provision', engineer, { site: 'north', name: '!!!' });
    expect(noId.body.error?.message).toMatch(/^body\.id: /);
    const taken = await api.call('POST', '/gateways/provision', engineer, { site: 'north', name: 'Gateway A', id: 'gw-a' });
    expect(taken.status).toBe(409);
    const rekey = await api.call<Provisioned>('POST', '/gateways/provision', engineer, { site: 'north', name: 'Gateway A', id: 'gw-a', replace: true });
    expect(rekey.status).toBe(201);
    const elsewhere = await api.call('POST', '/gateways/provision', engineer, { site: 'south', name: 'Gateway A', id: 'gw-a', replace: true });
    expect(elsewhere.status).toBe(409);
  });

  it('limits enrollment attempts per address, and lets them in again after the window', async () => {
    let limited: { status: number; retryAfter?: string } | undefined;
    for (let i = 0; i < 12 && !limited; i += 1) {
      const res = await fetch(`http://127.0.0.1:${api.server.httpPort}/api/v1/enroll`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: `efe_guess-${i}` }),
      });
      if (res.status === 429) limited = { status: res.status, retryAfter: res.headers.get('retry-after') ?? undefined };
      else expect(res.status).toBe(401);
    }
    expect(limited).toEqual({ status: 429, retryAfter: '6' });
    api.clock.now += 60_000;
    expect((await api.call('POST', '/enroll', undefined, { token: 'efe_after-the-window' })).status).toBe(401);
  });
});

describe('slugOf and brokerUrlFor', () => {
  it.each([
    ['Depot North', 'depot-north'],
    ['  Tower 3 (B) ', 'tower-3-b'],
    ['Café Übersee', 'cafe-ubersee'],
    ['!!!', undefined],
  ])('slugOf(%j) = %j', (name, slug) => {
    expect(slugOf(name)).toBe(slug);
  });

  it('uses the configured URL, else the API host with the broker port and scheme', () => {
    expect(brokerUrlFor({ publicUrl: 'mqtts://fleet.example.com:8883', port: 1883, tls: false }, 'x')).toBe('mqtts://fleet.example.com:8883');
    expect(brokerUrlFor({ port: 8883, tls: true }, 'fleet.local')).toBe('mqtts://fleet.local:8883');
    expect(brokerUrlFor(undefined, '10.0.0.5')).toBe('mqtt://10.0.0.5:1883');
  });
});
