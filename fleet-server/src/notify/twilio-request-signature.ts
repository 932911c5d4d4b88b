import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * X-Twilio-Signature, which Twilio puts on its inbound-SMS webhook (the "ACK <code>" reply path):
 * base64(HMAC-SHA1(authToken, fullUrl + each POST param name and value, sorted by name)).
 */
export function computeTwilioRequestSignature(
  fullUrl: string,
  params: Readonly<Record<string, string>>,
  authToken: string,
): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => `${acc}${key}${params[key] ?? ''}`, fullUrl);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** Constant-time check of X-Twilio-Signature for a form-encoded POST to `fullUrl`. */
export function verifyTwilioRequestSignature(
  fullUrl: string,
  params: Readonly<Record<string, string>>,
  header: string | undefined,
  authToken: string,
): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(computeTwilioRequestSignature(fullUrl, params, authToken));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
