import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { clientGone } from '../../src/api/wait-query.js';

/** clientGone(reply) over a real socket: aborts when the client leaves, not when the body was read or the answer sent. */
let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function serve(): Promise<{ url: string; signals: AbortSignal[]; entered: EventTarget; release: () => void }> {
  const signals: AbortSignal[] = [];
  const entered = new EventTarget();
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  app = Fastify({ logger: false });
  app.put('/hold', async (req, reply) => {
    const signal = clientGone(reply);
    signals.push(signal);
    entered.dispatchEvent(new Event('entered'));
    // Hold like a ?wait= does, until the client leaves or the test releases it.
    await Promise.race([held, once(signal, 'abort')]);
    return reply.send({ body: req.body });
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/hold`, signals, entered, release };
}

describe('clientGone', () => {
  it('aborts once the client aborts a PUT whose body the server has already read', async () => {
    const s = await serve();
    const controller = new AbortController();
    const entered = once(s.entered, 'entered');
    const res = fetch(s.url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"a":1}', signal: controller.signal }).catch((err: unknown) => err);
    await entered;
    expect(s.signals[0]?.aborted, 'not aborted while the client waits').toBe(false);
    controller.abort();
    await once(s.signals[0]!, 'abort');
    expect(await res).toMatchObject({ name: 'AbortError' });
  });

  it('does not abort after a response was delivered', async () => {
    const s = await serve();
    const entered = once(s.entered, 'entered');
    const res = fetch(s.url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"a":1}' });
    await entered;
    s.release();
    expect(await (await res).json()).toEqual({ body: { a: 1 } });
    await app?.close();
    app = undefined;
    expect(s.signals[0]?.aborted).toBe(false);
  });
});
