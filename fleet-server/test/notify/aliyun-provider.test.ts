import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createAliyunProvider,
  percentEncodeAliyun,
  signAliyunRpc,
} from '../../src/notify/index.js';
import type { AliyunOptions, SmsMessage } from '../../src/notify/index.js';
import { startFakeHttpServer } from './fake-http-server.js';
import type { FakeHttpServer, FakeReply, RecordedRequest } from './fake-http-server.js';

const KEY_ID = 'LTAI-test-id';
const KEY_SECRET = 'test-secret';
const MESSAGE: SmsMessage = { to: '+8613800138000', body: "Lift 2: entrapment (car) ~ ACK http://x/a/1*", idempotencyKey: 'n-42' };

/** RFC 3986 encoding written byte by byte, independently of the code under test. */
function encodeIndependently(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function parseRawQuery(url: string): Map<string, string> {
  const query = url.slice(url.indexOf('?') + 1);
  return new Map(
    query.split('&').map((pair) => {
      const [k = '', v = ''] = pair.split('=');
      return [decodeURIComponent(k), decodeURIComponent(v)];
    }),
  );
}

/** What Aliyun's gateway checks: every required parameter, then the recomputed signature. */
function answerLikeAliyun(req: RecordedRequest): FakeReply {
  const params = parseRawQuery(req.url);
  const signature = params.get('Signature');
  params.delete('Signature');
  const canonical = [...params.keys()]
    .sort()
    .map((k) => `${encodeIndependently(k)}=${encodeIndependently(params.get(k) ?? '')}`)
    .join('&');
  const stringToSign = `${req.method}&${encodeIndependently('/')}&${encodeIndependently(canonical)}`;
  const expected = createHmac('sha1', `${KEY_SECRET}&`).update(stringToSign).digest('base64');
  if (signature !== expected) {
    return { status: 400, body: JSON.stringify({ Code: 'SignatureDoesNotMatch', Message: 'Specified signature is not matched' }) };
  }
  if (params.get('AccessKeyId') !== KEY_ID) {
    return { status: 404, body: JSON.stringify({ Code: 'InvalidAccessKeyId.NotFound', Message: 'Specified access key is not found.' }) };
  }
  return { status: 200, body: JSON.stringify({ Code: 'OK', Message: 'OK', BizId: '900619746936498440^0', RequestId: 'req-1' }) };
}

function options(baseUrl: string, overrides: Partial<AliyunOptions> = {}): AliyunOptions {
  return {
    baseUrl,
    accessKeyId: KEY_ID,
    accessKeySecret: KEY_SECRET,
    signName: 'EdgeFleet',
    templateCode: 'SMS_123456',
    now: () => new Date('2026-11-28T19:30:05.123Z'),
    nonce: () => 'nonce-1',
    timeoutMs: 2_000,
    ...overrides,
  };
}

describe('aliyun RPC signature', () => {
  it("reproduces the worked example from Aliyun's SMS signature documentation", () => {
    const params = {
      AccessKeyId: 'testId', Action: 'SendSms', Format: 'XML', OutId: '123', PhoneNumbers: '15300000001',
      RegionId: 'cn-hangzhou', SignName: '阿里云短信测试专用', SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466', SignatureVersion: '1.0', TemplateCode: 'SMS_71390007',
      TemplateParam: '{"customer":"test"}', Timestamp: '2017-07-12T02:42:19Z', Version: '2017-05-25',
    };
    // Published there URL-encoded as zJDF%2BLrzhj%2FThnlvIToysFRq6t4%3D.
    expect(signAliyunRpc('GET', params, 'testSecret')).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
  });

  it.each([
    ['a b', 'a%20b'],
    ['*', '%2A'],
    ['~', '~'],
    ["!'()", '%21%27%28%29'],
    ['阿', '%E9%98%BF'],
    ['{"k":"v"}', '%7B%22k%22%3A%22v%22%7D'],
  ])('percent-encodes %j as %s', (input, encoded) => {
    expect(percentEncodeAliyun(input)).toBe(encoded);
    expect(encodeIndependently(input)).toBe(encoded);
  });
});

describe('aliyun provider against a fake Dysmsapi', () => {
  let fake: FakeHttpServer;
  beforeAll(async () => {
    fake = await startFakeHttpServer();
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.requests.length = 0;
    fake.respondWith(answerLikeAliyun);
  });

  it('sends a signed SendSms GET the fake accepts, returning the BizId', async () => {
    const result = await createAliyunProvider(options(fake.baseUrl)).send(MESSAGE);
    expect(result).toMatchObject({ ok: true, providerId: '900619746936498440^0', status: 200 });
    const req = fake.requests[0]!;
    expect(req.method).toBe('GET');
    expect(req.url.startsWith('/?')).toBe(true);
    const params = Object.fromEntries(parseRawQuery(req.url));
    expect(params).toMatchObject({
      Action: 'SendSms', Version: '2017-05-25', Format: 'JSON', AccessKeyId: KEY_ID,
      SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0', SignatureNonce: 'nonce-1',
      Timestamp: '2026-11-28T19:30:05Z', RegionId: 'cn-hangzhou', PhoneNumbers: '13800138000',
      SignName: 'EdgeFleet', TemplateCode: 'SMS_123456', OutId: 'n-42',
    });
    expect(JSON.parse(params['TemplateParam'] ?? '')).toEqual({ text: MESSAGE.body });
  });

  it('maps the message onto template variables when told how', async () => {
    const provider = createAliyunProvider(options(fake.baseUrl, { templateParams: (m) => ({ msg: m.body.slice(0, 4) }) }));
    expect((await provider.send(MESSAGE)).ok).toBe(true);
    expect(parseRawQuery(fake.requests[0]!.url).get('TemplateParam')).toBe('{"msg":"Lift"}');
  });

  it('a wrong secret fails the recomputed signature: HTTP 400, not retryable', async () => {
    const result = await createAliyunProvider(options(fake.baseUrl, { accessKeySecret: 'wrong' })).send(MESSAGE);
    expect(result).toMatchObject({ ok: false, retryable: false, status: 400 });
    expect(result.ok ? '' : result.error).toContain('SignatureDoesNotMatch');
  });

  it.each([
    { code: 'isv.MOBILE_NUMBER_ILLEGAL', retryable: false },
    { code: 'isv.BUSINESS_LIMIT_CONTROL', retryable: true },
    { code: 'isp.SYSTEM_ERROR', retryable: true },
    { code: 'Throttling.User', retryable: true },
  ])('HTTP 200 with Code $code is a failure, retryable=$retryable', async ({ code, retryable }) => {
    fake.respondWith(() => ({ status: 200, body: JSON.stringify({ Code: code, Message: 'm', RequestId: 'r' }) }));
    const result = await createAliyunProvider(options(fake.baseUrl)).send(MESSAGE);
    expect(result).toMatchObject({ ok: false, retryable, status: 200, error: `aliyun: ${code}: m` });
  });

  it.each([
    { status: 500, retryable: true },
    { status: 429, retryable: true },
    { status: 403, retryable: false },
  ])('HTTP $status is retryable=$retryable', async ({ status, retryable }) => {
    fake.respondWith(() => ({ status, body: '{}' }));
    expect(await createAliyunProvider(options(fake.baseUrl)).send(MESSAGE)).toMatchObject({ ok: false, retryable, status });
  });

  it('a provider that never answers is a retryable timeout', async () => {
    fake.respondWith(() => 'hang');
    const result = await createAliyunProvider(options(fake.baseUrl, { timeoutMs: 150 })).send(MESSAGE);
    expect(result).toEqual({ ok: false, retryable: true, error: 'timeout after 150 ms' });
  });
});
