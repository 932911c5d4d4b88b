import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Logger } from 'pino';
import type { Reading, WireValue } from '@edgefleet/protocol';
import { SqliteStore } from '../../src/store/index.js';
import { seedInventory } from '../store/store-fixtures.js';

export const H = 3_600_000;
export const DAY = 24 * H;
/** 12:00 UTC: a whole hour, so "now" is T0 plus a few minutes. */
export const T0 = Date.UTC(2026, 10, 28, 12, 0, 0);

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A pino logger whose lines land in an array, parsed. */
export function capturingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line) as LogLine) });
  return { logger, lines };
}

export interface TempStore {
  readonly dir: string;
  readonly store: SqliteStore;
  cleanup(): Promise<void>;
}

/** A real SQLite file in a temp dir with the usual site, gateway gw-1 and device car-1. */
export async function openTempStore(): Promise<TempStore> {
  const dir = await mkdtemp(join(tmpdir(), 'edgefleet-retention-'));
  const store = SqliteStore.open({ path: join(dir, 'fleet.db') });
  await seedInventory(store);
  return {
    dir, store,
    async cleanup() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

let seq = 0;
/** A good reading of car-1's `floor` at `ts`; seqs are unique across a test run. */
export const floorReading = (ts: number, value: WireValue): Reading => ({ seq: ++seq, device: 'car-1', point: 'floor', ts, value, quality: 'good' });

/** A promise the test resolves by hand: holds a store call open to make a run "still going". */
export function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}
