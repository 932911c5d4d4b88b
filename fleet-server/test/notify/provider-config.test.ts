import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { createSmsProvider, smsProviderConfigSchema } from '../../src/notify/index.js';

describe('smsProviderConfigSchema', () => {
  it('fills the production endpoints by default', () => {
    const twilio = smsProviderConfigSchema.parse({ kind: 'twilio', accountSid: 'AC1', authToken: 't', from: '+15005550006' });
    expect(twilio).toMatchObject({ baseUrl: 'https://api.twilio.com' });
    const aliyun = smsProviderConfigSchema.parse({ kind: 'aliyun', accessKeyId: 'a', accessKeySecret: 's', signName: 'n', templateCode: 'SMS_1' });
    expect(aliyun).toMatchObject({ baseUrl: 'https://dysmsapi.aliyuncs.com', templateVariable: 'text' });
  });

  it.each([
    ['an unknown kind', { kind: 'carrier-pigeon' }, 'kind'],
    ['twilio with both senders', { kind: 'twilio', accountSid: 'AC1', authToken: 't', from: '+15005550006', messagingServiceSid: 'MG1' }, 'exactly one of "from" and "messagingServiceSid"'],
    ['twilio with a non-E.164 sender', { kind: 'twilio', accountSid: 'AC1', authToken: 't', from: '5550006' }, 'from'],
    ['a short webhook secret', { kind: 'webhook', url: 'https://h.example/sms', secret: 'short' }, 'secret'],
    ['an unknown field', { kind: 'console', fil: 'x' }, 'fil'],
  ])('refuses %s, naming the problem', (_label, input, mention) => {
    const parsed = smsProviderConfigSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(z.prettifyError(parsed.error)).toContain(mention);
  });
});

describe('createSmsProvider', () => {
  it.each([
    [{ kind: 'console' }, 'console'],
    [{ kind: 'twilio', accountSid: 'AC1', authToken: 't', messagingServiceSid: 'MG1' }, 'twilio'],
    [{ kind: 'aliyun', accessKeyId: 'a', accessKeySecret: 's', signName: 'n', templateCode: 'SMS_1' }, 'aliyun'],
    [{ kind: 'webhook', url: 'https://h.example/sms', secret: '0123456789abcdef' }, 'webhook'],
  ])('builds %j as the %s provider', (input, name) => {
    expect(createSmsProvider(smsProviderConfigSchema.parse(input)).name).toBe(name);
  });

  it('a console provider with a file writes there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'edgefleet-notify-'));
    try {
      const file = join(dir, 'sms.jsonl');
      const provider = createSmsProvider(smsProviderConfigSchema.parse({ kind: 'console', file }));
      expect((await provider.send({ to: '+4930123456', body: 'hello', idempotencyKey: 'k' })).ok).toBe(true);
      expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ body: 'hello', id: 'k' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
