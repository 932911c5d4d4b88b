import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer } from './server-helpers.js';
import type { TestServer } from './server-helpers.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.cleanup();
  server = undefined;
});

/**
 * Clients open connections ahead of need (undici when its pooled ones are busy with a live event
 * stream, browsers preconnecting). Node 20's server.close() counts such a connection as neither
 * idle nor busy and waits for its headersTimeout (60 s, beyond this test's 30 s timeout), so
 * stop() resolving here is the assertion (http/close-keep-alive.ts).
 */
describe('fleet server stop with a connection that never sent a request', () => {
  it('closes the connection and stops at once', async () => {
    server = await startTestServer();
    const socket = net.connect(server.httpPort, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    await server.stop();
    await closed;
    expect(socket.bytesRead).toBe(0);
  });
});
