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
  // Root preClose hooks run before the children's (which end the waits) and before server.close().
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    if (closing) void reply.header('connection', 'close');
    return payload;
  });
}
