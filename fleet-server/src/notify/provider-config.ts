import * as z from 'zod';
import { createAliyunProvider } from './aliyun-provider.js';
import { createConsoleProvider } from './console-provider.js';
import type { SmsProvider } from './sms-provider.js';
import { createTwilioProvider } from './twilio-provider.js';
import { createWebhookProvider } from './webhook-provider.js';

const timeoutMs = z.number().int().min(100).max(120_000).optional();

/** The `sms:` section of server.yaml: one provider, chosen by `kind`; console is the default. */
export const smsProviderConfigSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('console'), file: z.string().min(1).optional() }),
  z
    .strictObject({
      kind: z.literal('twilio'),
      baseUrl: z.url().default('https://api.twilio.com'),
      accountSid: z.string().min(1),
      authToken: z.string().min(1),
      from: z.string().regex(/^\+[1-9]\d{1,14}$/, 'an E.164 number').optional(),
      messagingServiceSid: z.string().min(1).optional(),
      timeoutMs,
    })
    .refine((c) => (c.from === undefined) !== (c.messagingServiceSid === undefined), {
      message: 'set exactly one of "from" and "messagingServiceSid"',
    }),
  z.strictObject({
    kind: z.literal('aliyun'),
    baseUrl: z.url().default('https://dysmsapi.aliyuncs.com'),
    accessKeyId: z.string().min(1),
    accessKeySecret: z.string().min(1),
    signName: z.string().min(1),
    templateCode: z.string().min(1),
    /** The template variable that receives the SMS text. */
    templateVariable: z.string().min(1).default('text'),
    regionId: z.string().min(1).optional(),
    timeoutMs,
  }),
  z.strictObject({
    kind: z.literal('webhook'),
    url: z.url(),
    secret: z.string().min(16, 'at least 16 characters'),
    timeoutMs,
  }),
]);

export type SmsProviderConfig = z.infer<typeof smsProviderConfigSchema>;

/** Builds the configured provider from an already-validated config section. */
export function createSmsProvider(config: SmsProviderConfig): SmsProvider {
  switch (config.kind) {
    case 'console':
      return createConsoleProvider(config.file === undefined ? {} : { filePath: config.file });
    case 'twilio':
      return createTwilioProvider(config);
    case 'aliyun': {
      const variable = config.templateVariable;
      return createAliyunProvider({ ...config, templateParams: (m) => ({ [variable]: m.body }) });
    }
    case 'webhook':
      return createWebhookProvider(config);
  }
}
