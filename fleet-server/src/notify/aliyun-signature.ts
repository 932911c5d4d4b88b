import { createHmac } from 'node:crypto';

/**
 * Aliyun RPC percent-encoding: RFC 3986 (unreserved A-Z a-z 0-9 - _ . ~ kept, UTF-8 bytes
 * upper-case hex), so space is %20 not "+", "*" is %2A and "~" stays literal.
 * encodeURIComponent also keeps ! ' ( ) *, which Aliyun requires encoded.
 */
export function percentEncodeAliyun(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** Parameters sorted by name (byte order), each name and value encoded, joined with "&". */
export function canonicalizeAliyunQuery(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .filter((key) => key !== 'Signature')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((key) => `${percentEncodeAliyun(key)}=${percentEncodeAliyun(params[key] ?? '')}`)
    .join('&');
}

/** StringToSign = HTTPMethod & percentEncode("/") & percentEncode(canonicalQuery). */
export function buildAliyunStringToSign(method: 'GET' | 'POST', params: Readonly<Record<string, string>>): string {
  return `${method}&${percentEncodeAliyun('/')}&${percentEncodeAliyun(canonicalizeAliyunQuery(params))}`;
}

/** Signature = base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign)) — SignatureVersion 1.0. */
export function signAliyunRpc(
  method: 'GET' | 'POST',
  params: Readonly<Record<string, string>>,
  accessKeySecret: string,
): string {
  return createHmac('sha1', `${accessKeySecret}&`)
    .update(buildAliyunStringToSign(method, params), 'utf8')
    .digest('base64');
}
