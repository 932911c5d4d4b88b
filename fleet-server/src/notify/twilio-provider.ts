import {
  DEFAULT_TIMEOUT_MS,
  failureFromNetwork,
  failureFromStatus,
  fetchWithTimeout,
  parseJsonObject,
  rejectInvalidMessage,
} from './sms-provider.js';
import type { SendResult, SmsMessage, SmsProvider } from './sms-provider.js';

export interface TwilioOptions {
  /** `https://api.twilio.com` in production; a fake server's URL in tests. */
  readonly baseUrl: string;
  readonly accountSid: string;
  readonly authToken: string;
  /** Exactly one sender: a phone number (`From`) or a Messaging Service (`MessagingServiceSid`). */
  readonly from?: string;
  readonly messagingServiceSid?: string;
  readonly timeoutMs?: number;
}

/** Twilio Programmable Messaging: POST /2010-04-01/Accounts/{AccountSid}/Messages.json. */
export function createTwilioProvider(options: TwilioOptions): SmsProvider {
  if ((options.from === undefined) === (options.messagingServiceSid === undefined)) {
    throw new Error('twilio provider: set exactly one of "from" and "messagingServiceSid"');
  }
  const url = `${options.baseUrl.replace(/\/+$/, '')}/2010-04-01/Accounts/${encodeURIComponent(options.accountSid)}/Messages.json`;
  const authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return {
    name: 'twilio',
    async send(message: SmsMessage): Promise<SendResult> {
      const invalid = rejectInvalidMessage(message);
      if (invalid) return invalid;
      const form = new URLSearchParams({ To: message.to, Body: message.body });
      if (options.from !== undefined) form.set('From', options.from);
      if (options.messagingServiceSid !== undefined) form.set('MessagingServiceSid', options.messagingServiceSid);
      const outcome = await fetchWithTimeout(
        url,
        {
          method: 'POST',
          headers: {
            authorization,
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
          },
          body: form.toString(),
        },
        timeoutMs,
      );
      if (outcome.kind === 'failed') return failureFromNetwork(outcome.error);
      return interpretTwilioReply(outcome.status, outcome.text);
    },
  };
}

/** Twilio answers 201 with the Message resource; errors carry `{code, message, more_info, status}`. */
export function interpretTwilioReply(status: number, text: string): SendResult {
  const json = parseJsonObject(text);
  if (status === 200 || status === 201) {
    const sid = json?.['sid'];
    if (typeof sid === 'string' && sid !== '') return { ok: true, providerId: sid, status, reply: text };
    // Accepted but unreadable: do not resend blindly, a duplicate SMS is worse than a logged anomaly.
    return { ok: false, retryable: false, status, reply: text, error: 'twilio: success reply without a "sid"' };
  }
  const code = json?.['code'];
  const detail = json?.['message'];
  const error = `twilio: HTTP ${status}${typeof code === 'number' ? ` code ${code}` : ''}${typeof detail === 'string' ? `: ${detail}` : ''}`;
  return failureFromStatus(status, text, error);
}
