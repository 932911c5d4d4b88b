import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * Answers sent once the server has begun to close carry `Connection: close`. fastify's close
 * calls server.close(), which drops the keep-alive connections idle at that moment and then
 * waits for the others; a request still in flight (a ?wait= that shutdown has just ended)
 * would otherwise leave its connection open after its answer until the client's keep-alive
 * timeout (~70 s with the hint fastify sends), holding app.close() that long.
 * Call on the root instance before registering routes, so every route inherits the hook.
 */
export function closeKeepAliveOnClose(app: FastifyInstance): void {
  let closing = false;
  // A connection that never carried a request (a spare one a client opened ahead of need: undici
  // does when its pooled connections are busy, e.g. with a live event stream, and browsers
  // preconnect) is neither idle nor busy to Node 20's server.close(), which then waits for its
  // headersTimeout (60 s). Nothing is in flight on it: it is destroyed when closing starts.
  const unused = new Set<Socket>();
  app.server.on('connection', (socket: Socket) => {
    unused.add(socket);
    socket.once('close', () => unused.delete(socket));
  });
  app.server.on('request', (req: IncomingMessage) => unused.delete(req.socket));
  // Root preClose hooks run before the children's (which end the waits) and before server.close().
  app.addHook('preClose', async () => {
    closing = true;
    for (const socket of unused) if (socket.bytesRead === 0) socket.destroy();
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    if (closing) void reply.header('connection', 'close');
    return payload;
  });
}
