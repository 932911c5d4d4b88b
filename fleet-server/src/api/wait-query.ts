import type { FastifyReply } from 'fastify';
import * as z from 'zod';
import { durationMs } from '@edgefleet/device-profiles';
import { Duration } from '@edgefleet/protocol';

/** The longest a request may hold its connection waiting for a gateway (proxies cut idle requests at ~60 s). */
export const MAX_WAIT_MS = 60_000;

/**
 * `?wait=10s`: how long to wait for the gateway's answer before replying 202 (still pending).
 * Absent: reply at once.
 */
export const WaitQuery = z.strictObject({
  wait: Duration.transform((text, ctx) => {
    const ms = durationMs(text);
    if (ms > MAX_WAIT_MS) {
      ctx.addIssue({ code: 'custom', message: `must be at most ${MAX_WAIT_MS / 1000}s` });
      return z.NEVER;
    }
    return ms;
  }).optional(),
});

/**
 * Aborts when the client goes away before its answer is sent, so its wait (and timer) ends at
 * once. The response's 'close' with writableFinished false means exactly that; the request's
 * own 'close' is no use here: it fires as soon as the body has been read (Node >= 16).
 */
export function clientGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}
