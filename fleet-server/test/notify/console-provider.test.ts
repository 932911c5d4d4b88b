import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsoleProvider } from '../../src/notify/index.js';

describe('console provider', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'edgefleet-notify-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('appends one JSON line per message', async () => {
    const filePath = join(dir, 'sms.jsonl');
    const provider = createConsoleProvider({ filePath, now: () => new Date('2026-11-28T19:30:00Z') });
    const first = await provider.send({ to: '+4930123456', body: 'one', idempotencyKey: 'k1' });
    const second = await provider.send({ to: '+4930654321', body: 'two\nlines', idempotencyKey: 'k2' });
    expect(first.ok && second.ok).toBe(true);
    const lines = (await readFile(filePath, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[1]!)).toMatchObject({ at: '2026-11-28T19:30:00.000Z', id: 'k2', to: '+4930654321', body: 'two\nlines' });
    expect(first.ok && JSON.parse(lines[0]!).providerId === first.providerId).toBe(true);
  });

  it('reports an unwritable file as a retryable failure instead of throwing', async () => {
    const provider = createConsoleProvider({ filePath: join(dir, 'missing-dir', 'sms.jsonl') });
    const result = await provider.send({ to: '+4930123456', body: 'x', idempotencyKey: 'k' });
    expect(result).toMatchObject({ ok: false, retryable: true });
    expect(result.ok ? '' : result.error).toMatch(/ENOENT/);
  });
});
