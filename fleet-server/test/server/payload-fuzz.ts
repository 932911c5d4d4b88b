import type { Reading, UplinkChannel } from '@edgefleet/protocol';

/** mulberry32: a tiny seeded PRNG so a failing fuzz run can be replayed from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const T0 = 1_700_000_000_000;

function pick<T>(rand: () => number, items: readonly T[]): T {
  const item = items[Math.floor(rand() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

function nested(rand: () => number, depth: number): unknown {
  if (depth === 0) return pick(rand, [null, 1e308, -0, '', 'x', true, [], {}]);
  return rand() < 0.5 ? [nested(rand, depth - 1)] : { [pick(rand, ['a', '__proto__', 'items', 'constructor'])]: nested(rand, depth - 1) };
}

const goodReading = (seq: number): Reading => ({ seq, device: 'lift-1', point: 'floor', ts: T0 + seq, value: 1, quality: 'good' });

/** Readings that look right but break one rule of the Reading schema each. */
const BAD_READINGS: ((seq: number) => unknown)[] = [
  (seq) => ({ ...goodReading(seq), seq: String(seq) }),
  (seq) => ({ ...goodReading(seq), seq: 0 }),
  (seq) => ({ ...goodReading(seq), seq: 2 ** 60 }),
  (seq) => ({ ...goodReading(seq), seq: seq + 0.5 }),
  (seq) => ({ ...goodReading(seq), ts: -1 }),
  (seq) => ({ ...goodReading(seq), value: { nested: [1, 2] } }),
  (seq) => ({ ...goodReading(seq), quality: 'excellent' }),
  (seq) => ({ ...goodReading(seq), device: 'Lift 1' }),
  (seq) => ({ ...goodReading(seq), extra: 1 }),
  (seq) => ({ seq, device: 'lift-1' }),
];

const oversized = new Map<string, Buffer>();
function oversizedBatch(gatewayId: string): Buffer {
  let b = oversized.get(gatewayId);
  if (b === undefined) {
    const items = Array.from({ length: 10_001 }, (_, i) => goodReading(i + 1));
    b = Buffer.from(JSON.stringify({ v: 1, gateway: gatewayId, stream: 'telemetry', sentAt: T0, items }));
    oversized.set(gatewayId, b);
  }
  return b;
}

/**
 * One payload that no uplink schema accepts for gateway "gw-a": random bytes, truncated JSON,
 * valid-looking batches with one wrong type, huge numbers, nested garbage, another gateway.
 */
export function garbagePayload(rand: () => number, gatewayId: string): Buffer {
  const seq = 1 + Math.floor(rand() * 1000);
  const kind = Math.floor(rand() * 8);
  const batch = (items: unknown[], over: object = {}): string =>
    JSON.stringify({ v: 1, gateway: gatewayId, stream: 'telemetry', sentAt: T0, items, ...over });
  switch (kind) {
    case 0:
      return Buffer.from(Array.from({ length: Math.floor(rand() * 200) }, () => Math.floor(rand() * 256)));
    case 1: {
      const text = batch([goodReading(seq)]);
      return Buffer.from(text.slice(0, Math.floor(rand() * (text.length - 1))));
    }
    case 2:
      return Buffer.from(batch([goodReading(seq), pick(rand, BAD_READINGS)(seq + 1)]));
    case 3:
      return Buffer.from(batch([goodReading(seq)], pick(rand, [{ v: 2 }, { sentAt: -1 }, { stream: 'events' }, { gateway: 'gw-b' }, { items: 'x' }])));
    case 4:
      return Buffer.from(JSON.stringify(nested(rand, 1 + Math.floor(rand() * 200))));
    case 5:
      return Buffer.from(pick(rand, ['', 'null', '0', '"telemetry"', '[]', '{}', '9'.repeat(400), 'NaN']));
    case 6:
      // An over-long batch (10,001 items, limit 10,000) is ~1 MB: rare, or the run is all transfer.
      if (rand() < 0.02) return oversizedBatch(gatewayId);
      return Buffer.from(batch([{ ...goodReading(seq), value: 0 }]).replace('"value":0', '"value":1e999'));
    default:
      return Buffer.from(JSON.stringify({ v: 1, gateway: gatewayId, state: pick(rand, ['up', 1, null]), ts: T0 }));
  }
}

export function garbageChannel(rand: () => number): UplinkChannel {
  return pick(rand, ['telemetry', 'telemetry', 'events', 'status', 'health', 'cmd-result'] as const);
}
