import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import type { Logger } from 'pino';
import type { NewEvent, NewReading } from '../../src/outbox/outbox-types.js';

/** A fresh temp dir per test; `cleanup` removes it. */
export async function makeTempDir(): Promise<{ dir: string; file: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'edgefleet-outbox-'));
  return { dir, file: path.join(dir, 'outbox.db'), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export const reading = (i: number, device = 'elevator-1'): NewReading => ({
  device,
  point: 'car-position',
  ts: 1_700_000_000_000 + i,
  value: i,
  quality: 'good',
});

export const alarm = (i: number): NewEvent => ({
  type: 'alarm',
  device: 'elevator-1',
  rule: 'door-fault',
  state: 'raise',
  severity: 'critical',
  message: `door fault ${i}`,
  values: { 'door-state': i },
  ts: 1_700_000_000_000 + i,
});

export interface LogLine {
  level: number;
  msg: string;
  code?: string;
  [key: string]: unknown;
}

/** A pino logger whose lines land in `lines` (pino writes synchronously to a plain stream). */
export function captureLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(JSON.parse(line) as LogLine) });
  return { logger, lines };
}

/** pino's numeric levels. */
export const LEVEL = { warn: 40, error: 50 } as const;
