import { randomUUID } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import { rejectInvalidMessage } from './sms-provider.js';
import type { SendResult, SmsMessage, SmsProvider } from './sms-provider.js';

export interface ConsoleOptions {
  /** Append to this file; without it, lines go to stdout. */
  readonly filePath?: string;
  readonly now?: () => Date;
}

/** The default provider: one JSON line per message, for development and for sites without SMS. */
export function createConsoleProvider(options: ConsoleOptions = {}): SmsProvider {
  const now = options.now ?? (() => new Date());
  return {
    name: 'console',
    async send(message: SmsMessage): Promise<SendResult> {
      const invalid = rejectInvalidMessage(message);
      if (invalid) return invalid;
      const providerId = `console-${randomUUID()}`;
      const line = `${JSON.stringify({
        at: now().toISOString(),
        providerId,
        id: message.idempotencyKey,
        to: message.to,
        body: message.body,
      })}\n`;
      try {
        if (options.filePath === undefined) process.stdout.write(line);
        else await appendFile(options.filePath, line, 'utf8');
        return { ok: true, providerId, status: 0, reply: line.trimEnd() };
      } catch (error) {
        // A full disk or a missing directory may be fixed by the operator: retry later.
        return { ok: false, retryable: true, error: `console: ${error instanceof Error ? error.message : String(error)}` };
      }
    },
  };
}
