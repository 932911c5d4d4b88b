import { afterEach, describe, expect, it } from 'vitest';
import { MAX_WAIT_MS } from '../../src/api/wait-query.js';
import { ActingGateway, startApiTestServer } from './downlink-fixtures.js';
import type { ApiTestServer } from './downlink-fixtures.js';

/**
 * A `?wait=` request whose client went away (Ctrl-C on `fleet gateway config set --wait`) must
 * not hold the server's stop until the wait's own deadline, nor may a waiting client still
 * connected: the demo saw app.close() take ~66 s. The wait is the longest allowed (MAX_WAIT_MS =
 * 60 s) and each test times out at 30 s, so a stop held by a wait cannot pass: stop() resolving
 * within the test is the assertion.
 */
const WAIT = `${MAX_WAIT_MS / 1000}s`;
const rtu = { id: 'rs485', kind: 'rtu', path: '/dev/ttyUSB0' };
const sig = { id: 'sig-1', bus: 'rs485', unit: 1, profile: 'semaforo-tsc-8' };

let t: ApiTestServer | undefined;
let gw: ActingGateway | undefined;

afterEach(async () => {
  await gw?.close().catch(() => undefined);
  gw = undefined;
  await t?.cleanup();
  t = undefined;
});

/** Starts `method route?wait=60s` with an AbortController; resolves once the server is waiting (the gateway got the downlink). */
async function startWaitingRequest(server: ApiTestServer, method: string, route: string, body: unknown, channel: 'cmd' | 'config'): Promise<{ abort: () => void; settled: Promise<unknown> }> {
  const controller = new AbortController();
  const settled = fetch(`http://127.0.0.1:${server.server.httpPort}/api/v1${route}?wait=${WAIT}`, {
    method,
    headers: { authorization: `Bearer ${server.tokens.eng ?? ''}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: controller.signal,
  }).then(async (res) => ({ status: res.status, body: (await res.json()) as unknown }), (err: unknown) => err);
  // The server publishes the downlink only after it registered its waiter.
  await gw!.next(channel);
  return { abort: () => controller.abort(), settled };
}

const CASES = [
  ['PUT /gateways/:id/config', 'PUT', '/gateways/gw-a/config', { config: { buses: [rtu], devices: [sig] } }, 'config'],
  ['POST /gateways/:id/commands', 'POST', '/gateways/gw-a/commands', { device: 'sig-1', command: 'set-flash' }, 'cmd'],
] as const;

/** A server with gw-a connected; for a command, a desired config first (the device's profile comes from it). */
async function startWithGateway(channel: 'cmd' | 'config'): Promise<ApiTestServer> {
  const server = await startApiTestServer();
  t = server;
  gw = await ActingGateway.connect(server.server.brokerPort, 'gw-a');
  if (channel === 'cmd') {
    const put = await server.call('eng', 'PUT', '/gateways/gw-a/config', { config: { buses: [rtu], devices: [sig] } });
    expect(put.status).toBe(202);
    await gw.next('config');
  }
  return server;
}

describe('fleet server stop with a ?wait= request in flight', () => {
  it.each(CASES)('%s: the client aborts mid-wait, then stop() resolves before the wait deadline', async (_name, method, route, body, channel) => {
    const server = await startWithGateway(channel);
    const request = await startWaitingRequest(server, method, route, body, channel);
    request.abort();
    expect(await request.settled).toMatchObject({ name: 'AbortError' });
    await server.server.stop();
  }, 30_000);

  it.each(CASES)('%s: stop() with the waiting client still connected answers it 202 at once and resolves', async (_name, method, route, body, channel) => {
    const server = await startWithGateway(channel);
    const request = await startWaitingRequest(server, method, route, body, channel);
    await server.server.stop();
    // The wait ended with the shutdown: the client got its answer, still pending, at once.
    expect(await request.settled).toMatchObject({ status: 202 });
  }, 30_000);
});
