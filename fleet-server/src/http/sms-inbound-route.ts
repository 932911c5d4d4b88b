import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { acceptAckReply } from '../dispatch/ack-reply.js';
import type { AcceptAckReplyOptions } from '../dispatch/ack-reply.js';
import { verifyTwilioRequestSignature } from '../notify/twilio-request-signature.js';

export const SMS_INBOUND_PATH = '/sms/inbound';

export interface SmsInboundRouteOptions {
  readonly store: Parameters<typeof acceptAckReply>[0];
  readonly secret: AcceptAckReplyOptions['secret'];
  readonly now: () => number;
  readonly logger: Logger;
  /**
   * Twilio's auth token: when set, every request must carry a valid X-Twilio-Signature (else 403).
   * Unset (another SMS provider), the "ACK <code>" MAC and the sender's number are the only checks.
   */
  readonly twilioAuthToken?: string | undefined;
  /** The address Twilio posts to (its signature covers the full URL), e.g. https://fleet.example.com. */
  readonly publicBaseUrl: string;
  readonly onAcknowledged?: (alertId: number) => void;
}

const FORM = 'application/x-www-form-urlencoded';
const TWIML = 'text/xml; charset=utf-8';
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

const escapeXml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function twimlMessage(text: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${escapeXml(text)}</Message></Response>`;
}

/**
 * POST /sms/inbound: Twilio's inbound-SMS webhook (form fields From, Body). An "ACK <code>" reply
 * from a contact of the alert's site acknowledges it (audited as contact:<id>) and is answered with
 * a TwiML confirmation; anything else gets an empty TwiML response (200, no reply SMS), so a
 * stranger cannot make the server send texts.
 */
export function registerSmsInboundRoute(app: FastifyInstance, options: SmsInboundRouteOptions): void {
  // Encapsulated, so the form parser does not leak into other routes (or clash with theirs).
  void app.register(async (scope) => {
    scope.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: 16_384 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    scope.post(SMS_INBOUND_PATH, async (req, reply) => {
      const params = (req.body ?? {}) as Record<string, string>;
      if (options.twilioAuthToken !== undefined) {
        // Twilio signs the URL it called, query included: rebuild it from the public base.
        const query = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
        const url = `${options.publicBaseUrl.replace(/\/+$/, '')}${SMS_INBOUND_PATH}${query}`;
        const header = req.headers['x-twilio-signature'];
        if (!verifyTwilioRequestSignature(url, params, typeof header === 'string' ? header : undefined, options.twilioAuthToken)) {
          options.logger.warn({ url }, 'inbound SMS refused: X-Twilio-Signature missing or wrong');
          return reply.code(403).send({ error: { code: 'SMS_SIGNATURE_INVALID', message: 'X-Twilio-Signature does not match' } });
        }
      }
      const from = params.From;
      const body = params.Body;
      if (from === undefined || body === undefined) {
        return reply.code(400).send({ error: { code: 'SMS_FIELDS_MISSING', message: 'form fields From and Body are required' } });
      }
      const result = await acceptAckReply(options.store, { body, from, secret: options.secret, now: options.now() });
      if (!result.ok) {
        options.logger.info({ from, refusal: result.error }, 'inbound SMS did not acknowledge');
        const text = result.error === 'used' ? 'This alert was already acknowledged or resolved.' : undefined;
        return reply.code(200).type(TWIML).send(text === undefined ? EMPTY_TWIML : twimlMessage(text));
      }
      options.onAcknowledged?.(result.alert.id);
      options.logger.info({ alertId: result.alert.id, contactId: result.contactId }, 'alert acknowledged by SMS reply');
      return reply.code(200).type(TWIML).send(twimlMessage(`Alert ${result.alert.id} acknowledged. No further messages will be sent for it.`));
    });
  });
}
