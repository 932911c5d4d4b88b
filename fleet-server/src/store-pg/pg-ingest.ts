import type pg from 'pg';
import type { GatewayEvent, Reading } from '@edgefleet/protocol';
import { checkLimit } from '../store/query-limit.js';
import type { EventQuery, IngestResult, LatestValue, StoredEvent, TelemetryQuery } from '../store/store-types.js';
import { inTransaction } from './pg-db.js';
import type { Queryable } from './pg-db.js';

interface ValueRow {
  gateway_id: string; device_id: string; point: string; ts: number; seq: number;
  value: LatestValue['value']; quality: LatestValue['quality'];
}
interface EventRow { gateway_id: string; epoch: number; seq: number; type: GatewayEvent['type']; ts: number; payload: GatewayEvent; received_at: number }

const toValue = (r: ValueRow): LatestValue => ({
  gateway: r.gateway_id, device: r.device_id, point: r.point, ts: r.ts, seq: r.seq, value: r.value, quality: r.quality,
});

/** First occurrence of each seq: a seq repeated inside one batch counts once, as in SQLite. */
function firstPerSeq<T extends { seq: number }>(items: readonly T[]): T[] {
  const seen = new Set<number>();
  return items.filter((i) => (seen.has(i.seq) ? false : (seen.add(i.seq), true)));
}

/** Newer ts wins; on equal ts the later seq (read later in the same poll), as in SQLite. */
function newestPerPoint(items: readonly Reading[]): Reading[] {
  const best = new Map<string, Reading>();
  for (const r of items) {
    const k = JSON.stringify([r.device, r.point]);
    const b = best.get(k);
    if (!b || r.ts > b.ts || (r.ts === b.ts && r.seq > b.seq)) best.set(k, r);
  }
  return [...best.values()];
}

/** Records the seqs (all of one epoch) in the dedup ledger; returns those not seen before. */
async function markSeen(c: Queryable, gatewayId: string, stream: string, epoch: number, seqs: number[], receivedAt: number): Promise<Set<number>> {
  const { rows } = await c.query<{ seq: number }>(
    `INSERT INTO received_seqs (gateway_id, stream, epoch, seq, received_at) SELECT $1, $2, $5, s, $4 FROM unnest($3::bigint[]) AS s
     ON CONFLICT DO NOTHING RETURNING seq`,
    [gatewayId, stream, seqs, receivedAt, epoch],
  );
  return new Set(rows.map((r) => r.seq));
}

/** One transaction per batch, a constant number of statements whatever its size (unnest arrays). */
export async function ingestTelemetryPg(pool: pg.Pool, gatewayId: string, items: readonly Reading[], receivedAt: number, epoch: number): Promise<IngestResult> {
  const unique = firstPerSeq(items);
  // Encode first: a value JSON cannot encode fails before anything is written.
  const encoded = unique.map((r) => JSON.stringify(r.value));
  return inTransaction(pool, async (c) => {
    const fresh = await markSeen(c, gatewayId, 'telemetry', epoch, unique.map((r) => r.seq), receivedAt);
    const stored = unique.filter((r) => fresh.has(r.seq));
    if (stored.length > 0) {
      const values = unique.map((r, i) => [r, encoded[i]] as const).filter(([r]) => fresh.has(r.seq)).map(([, v]) => v);
      await c.query(
        `INSERT INTO telemetry (gateway_id, device_id, point, ts, seq, value, quality)
         SELECT $1, d, p, t, s, v::jsonb, q FROM unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::text[]) AS u(d, p, t, s, v, q)`,
        [gatewayId, stored.map((r) => r.device), stored.map((r) => r.point), stored.map((r) => r.ts), stored.map((r) => r.seq), values, stored.map((r) => r.quality)],
      );
      const latest = newestPerPoint(stored);
      await c.query(
        `INSERT INTO latest_values AS l (gateway_id, device_id, point, ts, seq, value, quality)
         SELECT $1, d, p, t, s, v::jsonb, q FROM unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::text[]) AS u(d, p, t, s, v, q)
         ON CONFLICT (gateway_id, device_id, point) DO UPDATE
           SET ts = excluded.ts, seq = excluded.seq, value = excluded.value, quality = excluded.quality
           WHERE excluded.ts > l.ts OR (excluded.ts = l.ts AND excluded.seq > l.seq)`,
        [gatewayId, latest.map((r) => r.device), latest.map((r) => r.point), latest.map((r) => r.ts), latest.map((r) => r.seq),
          latest.map((r) => JSON.stringify(r.value)), latest.map((r) => r.quality)],
      );
    }
    return { stored: stored.length, duplicates: items.length - stored.length };
  });
}

export async function ingestEventsPg(pool: pg.Pool, gatewayId: string, items: readonly GatewayEvent[], receivedAt: number, epoch: number): Promise<IngestResult> {
  const unique = firstPerSeq(items);
  const payloads = unique.map((e) => JSON.stringify(e));
  return inTransaction(pool, async (c) => {
    const fresh = await markSeen(c, gatewayId, 'events', epoch, unique.map((e) => e.seq), receivedAt);
    const rows = unique.map((e, i) => [e, payloads[i]] as const).filter(([e]) => fresh.has(e.seq));
    if (rows.length > 0) {
      await c.query(
        `INSERT INTO events (gateway_id, epoch, seq, type, device_id, ts, payload, received_at)
         SELECT $1, $8, s, ty, d, t, p::jsonb, $7 FROM unnest($2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::text[]) AS u(s, ty, d, t, p)
         ON CONFLICT DO NOTHING`,
        [gatewayId, rows.map(([e]) => e.seq), rows.map(([e]) => e.type), rows.map(([e]) => ('device' in e && e.device !== undefined ? e.device : null)),
          rows.map(([e]) => e.ts), rows.map(([, p]) => p), receivedAt, epoch],
      );
    }
    return { stored: rows.length, duplicates: items.length - rows.length };
  });
}

export async function latestValuesPg(db: Queryable, gatewayId: string, deviceId?: string): Promise<LatestValue[]> {
  const base = 'SELECT gateway_id, device_id, point, ts, seq, value, quality FROM latest_values WHERE gateway_id = $1';
  const { rows } = deviceId === undefined
    ? await db.query<ValueRow>(`${base} ORDER BY device_id COLLATE "C", point COLLATE "C"`, [gatewayId])
    : await db.query<ValueRow>(`${base} AND device_id = $2 ORDER BY point COLLATE "C"`, [gatewayId, deviceId]);
  return rows.map(toValue);
}

export async function telemetryPg(db: Queryable, q: TelemetryQuery): Promise<LatestValue[]> {
  const { rows } = await db.query<ValueRow>(
    `SELECT gateway_id, device_id, point, ts, seq, value, quality FROM telemetry
     WHERE gateway_id = $1 AND device_id = $2 AND point = $3 AND ts >= $4 AND ts < $5 ORDER BY ts, seq LIMIT $6`,
    [q.gateway, q.device, q.point, q.from, q.to, checkLimit(q.limit)],
  );
  return rows.map(toValue);
}

export async function eventsPg(db: Queryable, q: EventQuery): Promise<StoredEvent[]> {
  const { rows } = await db.query<EventRow>(
    `SELECT gateway_id, epoch, seq, type, ts, payload, received_at FROM events
     WHERE gateway_id = $1 AND ts >= $2 AND ts < $3 ORDER BY ts, epoch, seq LIMIT $4`,
    [q.gateway, q.from ?? 0, q.to ?? Number.MAX_SAFE_INTEGER, checkLimit(q.limit)],
  );
  return rows.map((r) => ({ gateway: r.gateway_id, epoch: r.epoch, seq: r.seq, type: r.type, ts: r.ts, event: r.payload, receivedAt: r.received_at }));
}
