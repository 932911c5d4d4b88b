import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openOutbox } from '../../src/outbox/open-outbox.js';
import type { OutboxRow, Stream } from '../../src/outbox/outbox-types.js';
import { makeTempDir } from './outbox-fixtures.js';

const WRITER = fileURLToPath(new URL('./fixtures/writer.ts', import.meta.url));
const STREAMS: readonly Stream[] = ['events', 'telemetry'];
const ROUNDS = 6;

let tmp: Awaited<ReturnType<typeof makeTempDir>>;
const children = new Set<ChildProcess>();

beforeEach(async () => {
  tmp = await makeTempDir();
});
afterEach(async () => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  await tmp.cleanup();
});

interface Reported {
  lines: number;
  lastSeq: Record<Stream, number>;
}

/**
 * Runs the writer until it has printed `lines` lines, then SIGKILLs it, whatever it is doing
 * (usually inside a transaction or its fsync). Resolves with the highest seq it reported.
 */
async function runAndKill(mode: 'stream' | 'buffer' | 'big', round: number, lines: number): Promise<Reported> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, tmp.file, mode, String(round)], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const reported: Reported = { lines: 0, lastSeq: { events: 0, telemetry: 0 } };
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`writer exited early (${code ?? signal}): ${stderr}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      // Lines read in the same chunk after the kill were printed after the point the test chose
      // (the 200,000-row commit takes ~0.3 s: a parent that reads late sees both lines at once).
      if (reported.lines === lines) return;
      const [stream, seq] = line.split(' ');
      if (stream === 'events' || stream === 'telemetry') reported.lastSeq[stream] = Math.max(reported.lastSeq[stream], Number(seq));
      if (++reported.lines === lines) {
        child.kill('SIGKILL');
        resolve();
      }
    });
  });
  await exited;
  children.delete(child);
  return reported;
}

const integrityOf = (file: string): unknown => {
  const db = new Database(file);
  try {
    return db.pragma('integrity_check', { simple: true });
  } finally {
    db.close();
  }
};

/** round and counter a writer put into an item: seq order must follow them strictly. */
const originOf = (row: OutboxRow): [number, number] =>
  'device' in row.item && 'value' in row.item
    ? [Number(row.item.device.slice(1)), Number(row.item.value)]
    : row.item.type === 'notice'
      ? [Number(row.item.message.slice(1)), Number(row.item.details?.n)]
      : [NaN, NaN];

describe('outbox under SIGKILL', () => {
  it(`${ROUNDS} kills mid-stream: every reported seq survives, seqs stay contiguous and unrepeated, integrity_check ok`, async () => {
    const acked: Record<Stream, Set<number>> = { events: new Set(), telemetry: new Set() };
    const seen: Record<Stream, Map<number, string>> = { events: new Map(), telemetry: new Map() };
    let previousLast: Record<Stream, number> = { events: 0, telemetry: 0 };
    for (let round = 1; round <= ROUNDS; round++) {
      const lines = 3 + Math.floor(Math.random() * 40);
      const reported = await runAndKill('stream', round, lines);
      const where = `round ${round}, killed after ${lines} lines`;
      expect(integrityOf(tmp.file), where).toBe('ok');
      const outbox = openOutbox({ path: tmp.file, maxBytes: 1_000_000_000, maxAgeMs: 86_400_000 });
      try {
        const stats = outbox.stats();
        for (const stream of STREAMS) {
          const last = stats.lastSeq[stream];
          // Everything the writer reported as committed is there (a commit after its last line may add more).
          expect(last, `${where}: ${stream}`).toBeGreaterThanOrEqual(reported.lastSeq[stream]);
          expect(last, `${where}: ${stream} went backwards`).toBeGreaterThanOrEqual(previousLast[stream]);
          const rows = outbox.peek(stream, 1_000_000);
          const present = rows.map((r) => r.seq);
          // No gap, no repeat: stored + acked seqs are exactly 1..last, each once.
          const all = [...present, ...acked[stream]].sort((a, b) => a - b);
          expect(all, `${where}: ${stream}`).toEqual(Array.from({ length: last }, (_, i) => i + 1));
          // A seq never changes its item across restarts, and seq order is write order.
          const origins = rows.map(originOf);
          rows.forEach((row, i) => {
            const origin = origins[i]!.join(':');
            expect(seen[stream].get(row.seq) ?? origin, `${where}: ${stream} seq ${row.seq} reused`).toBe(origin);
            seen[stream].set(row.seq, origin);
            const prev = origins[i - 1];
            if (prev !== undefined) expect(prev[0] < origins[i]![0] || (prev[0] === origins[i]![0] && prev[1] < origins[i]![1]), `${where}: ${stream} seq ${row.seq} out of order`).toBe(true);
          });
          // The uplink acks a random prefix before the next round, as after a PUBACK.
          const toAck = present.slice(0, Math.floor(Math.random() * present.length));
          outbox.ack(stream, toAck);
          for (const seq of toAck) acked[stream].add(seq);
        }
        previousLast = outbox.stats().lastSeq;
        expect(previousLast.telemetry, `${where}: telemetry progressed`).toBeGreaterThan(0);
      } finally {
        outbox.close();
      }
    }
    expect(acked.events.size + seen.events.size, 'events were written at all').toBeGreaterThan(0);
  }, 60_000);

  it('a kill while telemetry is buffered loses only the unflushed buffer', async () => {
    const reported = await runAndKill('buffer', 1, 2);
    expect(reported.lastSeq.telemetry).toBe(100);
    expect(integrityOf(tmp.file)).toBe('ok');
    const outbox = openOutbox({ path: tmp.file, maxBytes: 1_000_000_000, maxAgeMs: 86_400_000 });
    try {
      expect(outbox.stats().lastSeq.telemetry).toBe(100);
      const rows = outbox.peek('telemetry', 1_000);
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      expect(rows.map((r) => originOf(r)[1])).toEqual(Array.from({ length: 100 }, (_, i) => i));
    } finally {
      outbox.close();
    }
  });

  it('a kill inside a large transaction leaves it all or nothing, and the next writer continues the seqs', async () => {
    // Killed right after `flushing`: the 200,000-row transaction takes far longer than the kill.
    const reported = await runAndKill('big', 1, 2);
    expect(reported.lastSeq.telemetry).toBe(10);
    expect(integrityOf(tmp.file)).toBe('ok');
    const outbox = openOutbox({ path: tmp.file, maxBytes: 1_000_000_000, maxAgeMs: 86_400_000 });
    try {
      const { lastSeq, telemetry } = outbox.stats();
      expect([10, 200_010]).toContain(lastSeq.telemetry);
      expect(telemetry.depth).toBe(lastSeq.telemetry);
      outbox.enqueueTelemetry([{ device: 'after', point: 'level', ts: 1, value: 1, quality: 'good' }]);
      outbox.flush();
      expect(outbox.peek('telemetry', 1, lastSeq.telemetry)[0]?.seq).toBe(lastSeq.telemetry + 1);
    } finally {
      outbox.close();
    }
  });
});
