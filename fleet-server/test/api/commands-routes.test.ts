import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CommandRequest } from '@edgefleet/protocol';
import type { ApiStore } from '../../src/store/store-api.js';
import type { StoredCommand } from '../../src/store/store-api-types.js';
import type { Store } from '../../src/store/store.js';
import { ActingGateway, API_TEST_STORES, startApiTestServer } from './downlink-fixtures.js';
import type { ApiTestServer } from './downlink-fixtures.js';

describe.each(API_TEST_STORES)('/api/v1 commands (%s store)', (storeKind) => {
  let t: ApiTestServer;
  let store: Store & ApiStore;
  let gw: ActingGateway;

  beforeAll(async () => {
    t = await startApiTestServer(storeKind);
    store = t.server.store as Store & ApiStore;
    await store.upsertDevice({ gateway: 'gw-a', device: 'sig-1', profile: 'semaforo-tsc-8', name: 'Signal 1', location: null });
    gw = await ActingGateway.connect(t.server.brokerPort, 'gw-a');
  });

  afterAll(async () => {
    await gw?.close();
    await t?.cleanup();
  });

  it('round trip with ?wait: published QoS 1 to the cmd topic, the result answers the request', async () => {
    const sent = t.call<StoredCommand>('eng', 'POST', '/gateways/gw-a/commands?wait=5s', { device: 'sig-1', command: 'preempt-request', params: { phase: 2, duration: 30 }, ttl: '20s' });
    const { packet, body } = await gw.next('cmd');
    expect(packet.qos).toBe(1);
    expect(packet.retain).toBe(false);
    const request = CommandRequest.parse(body);
    expect(request).toMatchObject({ device: 'sig-1', command: 'preempt-request', params: { phase: 2, duration: 30 } });
    expect(request.expiresAt - request.issuedAt).toBe(20_000);
    await gw.result({ id: request.id, device: 'sig-1', status: 'ok', ts: Date.now(), readBack: { mode: 4 } });

    const res = await sent;
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: request.id, gateway: 'gw-a', state: 'ok', createdBy: 'user:eng', result: { status: 'ok', readBack: { mode: 4 } } });
    expect((await t.call<StoredCommand>('eng', 'GET', `/commands/${request.id}`)).body.state).toBe('ok');
    const listed = await t.call<{ items: StoredCommand[] }>('root', 'GET', '/gateways/gw-a/commands?device=sig-1');
    expect(listed.body.items.map((c) => c.id)).toContain(request.id);
    const audit = await store.listAudit({ target: `command:${request.id}` });
    expect(audit).toEqual([expect.objectContaining({ action: 'command.send', actor: 'user:eng' })]);
  });

  it('answers 202 pending without ?wait (or when the wait runs out); the late result is recorded', async () => {
    const quick = await t.call<StoredCommand>('eng', 'POST', '/gateways/gw-a/commands', { device: 'sig-1', write: { point: 'timing-plan', value: 3 } });
    expect(quick.status).toBe(202);
    expect(quick.body.state).toBe('pending');
    const { body } = await gw.next('cmd');
    expect(CommandRequest.parse(body)).toMatchObject({ id: quick.body.id, write: { point: 'timing-plan', value: 3 } });

    const waited = await t.call<StoredCommand>('eng', 'POST', '/gateways/gw-a/commands?wait=200ms', { device: 'sig-1', command: 'set-flash' });
    expect(waited.status).toBe(202);
    expect(waited.body.state).toBe('pending');
    await gw.next('cmd');

    await gw.result({ id: quick.body.id, device: 'sig-1', status: 'not-confirmed', ts: Date.now(), reason: 'timing-plan is 1, expected 3' });
    const done = await vi.waitFor(async () => {
      const res = await t.call<StoredCommand>('eng', 'GET', `/commands/${quick.body.id}`);
      if (res.body.state === 'pending') throw new Error('still pending');
      return res.body;
    }, { timeout: 15_000, interval: 25 });
    expect(done).toMatchObject({ state: 'not-confirmed', result: { reason: 'timing-plan is 1, expected 3' } });
  });

  it("calls a command nobody answered by its expiry 'unanswered', and still records the gateway's late result", async () => {
    // The wait ends with the server's verdict, long before its 10 s: the sweep settles it.
    const res = await t.call<StoredCommand>('eng', 'POST', '/gateways/gw-a/commands?wait=10s', { device: 'sig-1', command: 'set-auto', ttl: '300ms' });
    const request = CommandRequest.parse((await gw.next('cmd')).body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: request.id, state: 'unanswered', result: null });
    expect(res.body.completedAt).toBeGreaterThan(request.expiresAt);
    // Its result was in the gateway's outbox: it replaces the verdict.
    await gw.result({ id: request.id, device: 'sig-1', status: 'ok', ts: request.expiresAt - 1 });
    const done = await vi.waitFor(async () => {
      const got = await t.call<StoredCommand>('eng', 'GET', `/commands/${request.id}`);
      if (got.body.state === 'unanswered') throw new Error('still unanswered');
      return got.body;
    }, { timeout: 15_000, interval: 25 });
    expect(done).toMatchObject({ state: 'ok', result: { status: 'ok' } });
  });

  it("ignores a result for the command from another gateway", async () => {
    const sent = await t.call<StoredCommand>('eng', 'POST', '/gateways/gw-a/commands', { device: 'sig-1', command: 'set-auto' });
    await gw.next('cmd');
    const intruder = await ActingGateway.connect(t.server.brokerPort, 'gw-b');
    try {
      await intruder.result({ id: sent.body.id, device: 'sig-1', status: 'ok', ts: Date.now() });
      await t.server.ingest.idle();
      await gw.result({ id: sent.body.id, device: 'sig-1', status: 'rejected', ts: Date.now(), reason: 'controller in manual' });
      const done = await vi.waitFor(async () => {
        const res = await t.call<StoredCommand>('eng', 'GET', `/commands/${sent.body.id}`);
        if (res.body.state === 'pending') throw new Error('still pending');
        return res.body;
      }, { timeout: 15_000, interval: 25 });
      expect(done.state).toBe('rejected');
    } finally {
      await intruder.close();
    }
  });

  it.each([
    ['an expired command', { device: 'sig-1', command: 'set-flash', expiresAt: Date.now() - 1_000 }, 'body.expiresAt', /already passed/],
    ['a zero ttl', { device: 'sig-1', command: 'set-flash', ttl: '0s' }, 'body.ttl', /more than 0/],
    ['an unknown command', { device: 'sig-1', command: 'self-destruct' }, 'body.command', /no command "self-destruct"/],
    ['a parameter out of range', { device: 'sig-1', command: 'preempt-request', params: { phase: 2, duration: 500 } }, 'body.params.duration', /above 120/],
    ['a write out of range', { device: 'sig-1', write: { point: 'timing-plan', value: 9 } }, 'body.write.value', /timing-plan/],
    ['a read-only point', { device: 'sig-1', write: { point: 'active-plan', value: 1 } }, 'body.write.point', /read-only/],
    ['an unknown device', { device: 'sig-9', command: 'set-flash' }, 'body.device', /no device "sig-9"/],
    ['both command and write', { device: 'sig-1', command: 'set-flash', write: { point: 'mode', value: 'auto' } }, 'body.command', /exactly one/],
  ])('refuses %s with 400 naming %s, and publishes nothing', async (_name, body, field, message) => {
    const before = await store.listCommands({ gateway: 'gw-a' });
    const res = await t.call('eng', 'POST', '/gateways/gw-a/commands', body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_REQUEST');
    expect(res.body.error.message.startsWith(`${field}: `)).toBe(true);
    expect(res.body.error.message).toMatch(message);
    expect(res.body.error.details?.issues[0]?.field).toBe(field);
    expect(await store.listCommands({ gateway: 'gw-a' })).toHaveLength(before.length);
    expect(gw.received.filter((m) => m.channel === 'cmd')).toEqual([]);
  });

  it('is for admins and engineers only; unknown gateways and commands are 404', async () => {
    const manager = await t.call('mgr-south', 'POST', '/gateways/gw-a/commands', { device: 'sig-1', command: 'set-flash' });
    expect(manager.status).toBe(403);
    expect(manager.body.error.code).toBe('FORBIDDEN');
    expect((await t.call('mgr-south', 'GET', '/gateways/gw-a/commands')).status).toBe(403);
    expect((await t.call('eng', 'POST', '/gateways/gw-z/commands', { device: 'sig-1', command: 'set-flash' })).status).toBe(404);
    expect((await t.call('eng', 'GET', '/commands/no-such-id')).status).toBe(404);
  });
});
