import { randomUUID } from 'node:crypto';
import { percentEncodeAliyun, signAliyunRpc } from './aliyun-signature.js';
import {
  DEFAULT_TIMEOUT_MS,
  failureFromNetwork,
  failureFromStatus,
  fetchWithTimeout,
  parseJsonObject,
  rejectInvalidMessage,
} from './sms-provider.js';
import type { SendResult, SmsMessage, SmsProvider } from './sms-provider.js';

export interface AliyunOptions {
  /** `https://dysmsapi.aliyuncs.com` in production; a fake server's URL in tests. */
  readonly baseUrl: string;
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly signName: string;
  readonly templateCode: string;
  /** Aliyun sends only approved templates; this maps our text onto the template's variables. */
  readonly templateParams?: (message: SmsMessage) => Record<string, string>;
  readonly regionId?: string;
  readonly timeoutMs?: number;
  /** Injected for known-answer tests; defaults are the wall clock and a random UUID. */
  readonly now?: () => Date;
  readonly nonce?: () => string;
}

/** Aliyun Dysmsapi SendSms (RPC style, API version 2017-05-25), signed GET. */
export function createAliyunProvider(options: AliyunOptions): SmsProvider {
  const endpoint = `${options.baseUrl.replace(/\/+$/, '')}/`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const templateParams = options.templateParams ?? ((m: SmsMessage) => ({ text: m.body }));
  const now = options.now ?? (() => new Date());
  const nonce = options.nonce ?? randomUUID;
  return {
    name: 'aliyun',
    async send(message: SmsMessage): Promise<SendResult> {
      const invalid = rejectInvalidMessage(message);
      if (invalid) return invalid;
      const params = buildSendSmsParams(options, message, templateParams(message), now(), nonce());
      const signature = signAliyunRpc('GET', params, options.accessKeySecret);
      const query = Object.entries({ ...params, Signature: signature })
        .map(([k, v]) => `${percentEncodeAliyun(k)}=${percentEncodeAliyun(v)}`)
        .join('&');
      const outcome = await fetchWithTimeout(
        `${endpoint}?${query}`,
        { method: 'GET', headers: { accept: 'application/json' } },
        timeoutMs,
      );
      if (outcome.kind === 'failed') return failureFromNetwork(outcome.error);
      return interpretAliyunReply(outcome.status, outcome.text);
    },
  };
}

/** Every parameter that is signed, Signature excluded. */
export function buildSendSmsParams(
  options: Pick<AliyunOptions, 'accessKeyId' | 'signName' | 'templateCode' | 'regionId'>,
  message: SmsMessage,
  templateParam: Record<string, string>,
  at: Date,
  nonce: string,
): Record<string, string> {
  return {
    Action: 'SendSms',
    Version: '2017-05-25',
    Format: 'JSON',
    AccessKeyId: options.accessKeyId,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: nonce,
    // ISO 8601 UTC without milliseconds, as in Aliyun's examples (2017-07-12T02:42:19Z).
    Timestamp: at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    RegionId: options.regionId ?? 'cn-hangzhou',
    // Aliyun takes mainland numbers without "+86"; international ones keep their country code.
    PhoneNumbers: message.to.startsWith('+86') ? message.to.slice(3) : message.to.replace(/^\+/, ''),
    SignName: options.signName,
    TemplateCode: options.templateCode,
    TemplateParam: JSON.stringify(templateParam),
    // OutId is echoed in delivery receipts: our idempotency key ties a receipt to its notification.
    OutId: message.idempotencyKey,
  };
}

/** Business errors that clear by themselves: throttling and Aliyun-side (isp.*) faults. */
function isRetryableAliyunCode(code: string): boolean {
  return code.startsWith('isp.') || code.startsWith('Throttling') || code === 'isv.BUSINESS_LIMIT_CONTROL';
}

/** Success is HTTP 200 with `Code: "OK"` and a `BizId`; business errors also come as HTTP 200. */
export function interpretAliyunReply(status: number, text: string): SendResult {
  const json = parseJsonObject(text);
  const code = typeof json?.['Code'] === 'string' ? json['Code'] : undefined;
  const detail = typeof json?.['Message'] === 'string' ? json['Message'] : undefined;
  if (status !== 200) {
    return failureFromStatus(status, text, `aliyun: HTTP ${status}${code ? ` ${code}` : ''}${detail ? `: ${detail}` : ''}`);
  }
  const bizId = json?.['BizId'];
  if (code === 'OK' && typeof bizId === 'string' && bizId !== '') {
    return { ok: true, providerId: bizId, status, reply: text };
  }
  return {
    ok: false,
    retryable: code !== undefined && isRetryableAliyunCode(code),
    status,
    reply: text,
    error: `aliyun: ${code ?? 'reply without Code'}${detail ? `: ${detail}` : ''}`,
  };
}
