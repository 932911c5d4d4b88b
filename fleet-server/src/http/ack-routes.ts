import type { FastifyInstance } from 'fastify';
import { acceptAckToken } from '../dispatch/ack-accept.js';
import type { AckAcceptStore, AckRefusal } from '../dispatch/ack-accept.js';

export interface AckRoutesOptions {
  readonly store: AckAcceptStore;
  readonly secret: string;
  readonly now: () => number;
  /** Called after a link acknowledged an alert (e.g. to wake the sender so it skips queued texts). */
  readonly onAcknowledged?: (alertId: number) => void;
}

/** 400: the link was damaged or forged; 404: no such alert; 410: the link has served its purpose. */
const REFUSALS: Record<AckRefusal, { status: number; code: string; message: string }> = {
  malformed: { status: 400, code: 'ACK_MALFORMED', message: 'This link is damaged. Open it from the SMS again.' },
  tampered: { status: 400, code: 'ACK_TAMPERED', message: 'This link is not valid.' },
  'unknown-alert': { status: 404, code: 'ACK_UNKNOWN_ALERT', message: 'The alert this link names does not exist.' },
  expired: { status: 410, code: 'ACK_EXPIRED', message: 'This link has expired.' },
  used: { status: 410, code: 'ACK_USED', message: 'This alert was already acknowledged or resolved.' },
};

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** GET /ack/:token: the one-tap acknowledgement behind the link in every alert SMS. */
export function registerAckRoutes(app: FastifyInstance, options: AckRoutesOptions): void {
  app.get<{ Params: { token: string } }>('/ack/:token', async (req, reply) => {
    const result = await acceptAckToken(options.store, { token: req.params.token, secret: options.secret, now: options.now() });
    if (!result.ok) {
      const refusal = REFUSALS[result.error];
      return reply.code(refusal.status).send({ error: { code: refusal.code, message: refusal.message } });
    }
    options.onAcknowledged?.(result.alert.id);
    const { alert } = result;
    // A phone opens this page: plain HTML, no scripts, readable on a small screen.
    const page = `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">`
      + `<title>Alert acknowledged</title></head><body><h1>Acknowledged</h1>`
      + `<p>Alert ${alert.id}: ${escapeHtml(alert.message)} (${escapeHtml(alert.device)} on ${escapeHtml(alert.gateway)}).</p>`
      + `<p>No further messages will be sent for it.</p></body></html>`;
    return reply.code(200).type('text/html; charset=utf-8').send(page);
  });
}
