import {
  DEFAULT_TIMEOUT_MS,
  failureFromNetwork,
  failureFromStatus,
  fetchWithTimeout,
  parseJsonObject,
  rejectInvalidMessage,
} from './sms-provider.js';
import type { SendResult, SmsMessage, SmsProvider } from './sms-provider.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhookBody } from './webhook-signature.js';

export interface WebhookOptions {
  readonly url: string;
  readonly secret: string;
  readonly timeoutMs?: number;
  readonly now?: () => Date;
}

/** Generic JSON webhook: POST {to, body, id}, signed with HMAC-SHA256 of the raw body. */
export function createWebhookProvider(options: WebhookOptions): SmsProvider {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = options.now ?? (() => new Date());
  return {
    name: 'webhook',
    async send(message: SmsMessage): Promise<SendResult> {
      const invalid = rejectInvalidMessage(message);
      if (invalid) return invalid;
      const rawBody = JSON.stringify({ to: message.to, body: message.body, id: message.idempotencyKey });
      const outcome = await fetchWithTimeout(
        options.url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [SIGNATURE_HEADER]: signWebhookBody(rawBody, options.secret),
            // Unix seconds: lets the receiver reject stale replays.
            [TIMESTAMP_HEADER]: String(Math.floor(now().getTime() / 1000)),
          },
          body: rawBody,
        },
        timeoutMs,
      );
      if (outcome.kind === 'failed') return failureFromNetwork(outcome.error);
      return interpretWebhookReply(outcome.status, outcome.text, message.idempotencyKey);
    },
  };
}

/** Any 2xx is delivery; a JSON `id` in the reply becomes the provider id, else our own key. */
export function interpretWebhookReply(status: number, text: string, idempotencyKey: string): SendResult {
  if (status >= 200 && status < 300) {
    const id = parseJsonObject(text)?.['id'];
    return { ok: true, providerId: typeof id === 'string' && id !== '' ? id : idempotencyKey, status, reply: text };
  }
  return failureFromStatus(status, text, `webhook: HTTP ${status}`);
}
