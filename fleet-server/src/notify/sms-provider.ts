/** One SMS to send; `to` is E.164 (`+4930123456`). */
export interface SmsMessage {
  readonly to: string;
  readonly body: string;
  /** Stable per notification so a retried send can be recognised downstream. */
  readonly idempotencyKey: string;
}

export type SendResult =
  | { readonly ok: true; readonly providerId: string; readonly status: number; readonly reply: string }
  | {
      readonly ok: false;
      readonly retryable: boolean;
      readonly status?: number;
      readonly reply?: string;
      readonly error: string;
    };

/** A provider never throws for provider or network failures; it classifies them instead. */
export interface SmsProvider {
  readonly name: string;
  send(message: SmsMessage): Promise<SendResult>;
}

/** Replies are stored with every attempt; a runaway error page must not bloat the store. */
export const MAX_REPLY_CHARS = 2000;

export const DEFAULT_TIMEOUT_MS = 10_000;

/** 5xx and 429 may succeed later; any other 4xx will fail the same way again. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

export type HttpOutcome =
  | { readonly kind: 'reply'; readonly status: number; readonly text: string }
  | { readonly kind: 'failed'; readonly error: string };

/** fetch with an AbortSignal timeout; connection errors and timeouts become `failed`, never throws. */
export async function fetchWithTimeout(url: string, init: RequestInit, timeoutMs: number): Promise<HttpOutcome> {
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    return { kind: 'reply', status: response.status, text: text.slice(0, MAX_REPLY_CHARS) };
  } catch (error) {
    return { kind: 'failed', error: describeFetchError(error, timeoutMs) };
  }
}

/** undici reports "fetch failed" and hides the reason (ECONNREFUSED, …) in `cause`. */
export function describeFetchError(error: unknown, timeoutMs: number): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return `timeout after ${timeoutMs} ms`;
    const cause: unknown = error.cause;
    if (cause instanceof Error) {
      const code = (cause as { code?: unknown }).code;
      return `${error.message}: ${typeof code === 'string' ? `${code} ` : ''}${cause.message}`;
    }
    return error.message;
  }
  return String(error);
}

/** The common failure shape for a non-success HTTP reply. */
export function failureFromStatus(status: number, reply: string, error: string): SendResult {
  return { ok: false, retryable: isRetryableStatus(status), status, reply, error };
}

/** A network failure or timeout: the message may or may not have left, the provider is asked again. */
export function failureFromNetwork(error: string): SendResult {
  return { ok: false, retryable: true, error };
}

/** ITU-T E.164: "+", country code not starting with 0, at most 15 digits in all. */
const E164 = /^\+[1-9]\d{1,14}$/;

/** A malformed message fails the same way at every provider and on every retry: reject it before sending. */
export function rejectInvalidMessage(message: SmsMessage): SendResult | undefined {
  if (!E164.test(message.to)) {
    return { ok: false, retryable: false, error: `invalid recipient "${message.to}": not an E.164 number (+<country><number>)` };
  }
  if (message.body.trim() === '') return { ok: false, retryable: false, error: 'empty SMS body' };
  return undefined;
}

/** JSON.parse that yields undefined instead of throwing on a proxy's HTML error page. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
