import type { Database, Statement } from 'better-sqlite3';
import type { GatewayEvent, Reading, WireValue } from '@edgefleet/protocol';
import { checkLimit } from './query-limit.js';
import type { EventQuery, IngestResult, LatestValue, StoredEvent, TelemetryQuery } from './store-types.js';

interface ValueRow {
  gateway_id: string;
  device_id: string;
  point: string;
  ts: number;
  seq: number;
  value: string;
  quality: LatestValue['quality'];
}

interface EventRow {
  gateway_id: string;
  epoch: number;
  seq: number;
  type: GatewayEvent['type'];
  ts: number;
  payload: string;
  received_at: number;
}

const toValue = (r: ValueRow): LatestValue => ({
  gateway: r.gateway_id, device: r.device_id, point: r.point, ts: r.ts, seq: r.seq,
  value: JSON.parse(r.value) as WireValue, quality: r.quality,
});

/** Newer ts wins; on equal ts the later seq (read later in the same poll): the upsert's rule. */
const isNewer = (a: Reading, b: Reading): boolean => a.ts > b.ts || (a.ts === b.ts && a.seq > b.seq);

/** Ingest writes and reads of telemetry, latest values and events, on prepared statements. */
export class SqliteIngest {
  private readonly markSeen: Statement<[string, string, number, number, number]>;
  private readonly insertReading: Statement<[string, string, string, number, number, string, string]>;
  private readonly upsertLatest: Statement<[string, string, string, number, number, string, string]>;
  private readonly insertEvent: Statement<[string, number, number, string, string | null, number, string, number]>;
  private readonly selectLatestGateway: Statement<[string]>;
  private readonly selectLatestDevice: Statement<[string, string]>;
  private readonly selectRange: Statement<[string, string, string, number, number, number]>;
  private readonly selectEvents: Statement<[string, number, number, number]>;
  readonly ingestTelemetry: (gatewayId: string, items: readonly Reading[], receivedAt: number, epoch: number) => IngestResult;
  readonly ingestEvents: (gatewayId: string, items: readonly GatewayEvent[], receivedAt: number, epoch: number) => IngestResult;

  constructor(db: Database) {
    this.markSeen = db.prepare('INSERT OR IGNORE INTO received_seqs (gateway_id, stream, epoch, seq, received_at) VALUES (?, ?, ?, ?, ?)');
    this.insertReading = db.prepare(
      'INSERT INTO telemetry (gateway_id, device_id, point, ts, seq, value, quality) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    // Newer ts wins; on equal ts the later seq (read later in the same poll) wins.
    this.upsertLatest = db.prepare(`
      INSERT INTO latest_values (gateway_id, device_id, point, ts, seq, value, quality) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (gateway_id, device_id, point) DO UPDATE
        SET ts = excluded.ts, seq = excluded.seq, value = excluded.value, quality = excluded.quality
        WHERE excluded.ts > latest_values.ts OR (excluded.ts = latest_values.ts AND excluded.seq > latest_values.seq)`);
    this.insertEvent = db.prepare(
      'INSERT OR IGNORE INTO events (gateway_id, epoch, seq, type, device_id, ts, payload, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const latest = 'SELECT gateway_id, device_id, point, ts, seq, value, quality FROM latest_values WHERE gateway_id = ?';
    this.selectLatestGateway = db.prepare(`${latest} ORDER BY device_id, point`);
    this.selectLatestDevice = db.prepare(`${latest} AND device_id = ? ORDER BY point`);
    this.selectRange = db.prepare(`
      SELECT gateway_id, device_id, point, ts, seq, value, quality FROM telemetry
      WHERE gateway_id = ? AND device_id = ? AND point = ? AND ts >= ? AND ts < ? ORDER BY ts, seq LIMIT ?`);
    this.selectEvents = db.prepare(`
      SELECT gateway_id, epoch, seq, type, ts, payload, received_at FROM events
      WHERE gateway_id = ? AND ts >= ? AND ts < ? ORDER BY ts, epoch, seq LIMIT ?`);

    this.ingestTelemetry = db.transaction((gatewayId: string, items: readonly Reading[], receivedAt: number, epoch: number) => {
      let stored = 0;
      // One latest_values upsert per (device, point) per batch, not per reading: a batch drained
      // from a backlog holds many readings of each point, and the upsert was half the ingest cost.
      const newest = new Map<string, { r: Reading; value: string }>();
      for (const r of items) {
        if (this.markSeen.run(gatewayId, 'telemetry', epoch, r.seq, receivedAt).changes === 0) continue;
        const value = JSON.stringify(r.value);
        this.insertReading.run(gatewayId, r.device, r.point, r.ts, r.seq, value, r.quality);
        // Ids are slugs (no NUL), so the joined key is unambiguous.
        const key = `${r.device}\u0000${r.point}`;
        const best = newest.get(key);
        if (!best || isNewer(r, best.r)) newest.set(key, { r, value });
        stored++;
      }
      // The upsert's own WHERE still compares with what an earlier batch stored.
      for (const { r, value } of newest.values()) this.upsertLatest.run(gatewayId, r.device, r.point, r.ts, r.seq, value, r.quality);
      return { stored, duplicates: items.length - stored };
    });
    this.ingestEvents = db.transaction((gatewayId: string, items: readonly GatewayEvent[], receivedAt: number, epoch: number) => {
      let stored = 0;
      for (const e of items) {
        if (this.markSeen.run(gatewayId, 'events', epoch, e.seq, receivedAt).changes === 0) continue;
        const device = 'device' in e && e.device !== undefined ? e.device : null;
        this.insertEvent.run(gatewayId, epoch, e.seq, e.type, device, e.ts, JSON.stringify(e), receivedAt);
        stored++;
      }
      return { stored, duplicates: items.length - stored };
    });
  }

  latestValues(gatewayId: string, deviceId?: string): LatestValue[] {
    const rows = deviceId === undefined
      ? this.selectLatestGateway.all(gatewayId)
      : this.selectLatestDevice.all(gatewayId, deviceId);
    return (rows as ValueRow[]).map(toValue);
  }

  telemetry(q: TelemetryQuery): LatestValue[] {
    const rows = this.selectRange.all(q.gateway, q.device, q.point, q.from, q.to, checkLimit(q.limit));
    return (rows as ValueRow[]).map(toValue);
  }

  events(q: EventQuery): StoredEvent[] {
    const rows = this.selectEvents.all(q.gateway, q.from ?? 0, q.to ?? Number.MAX_SAFE_INTEGER, checkLimit(q.limit));
    return (rows as EventRow[]).map((r) => ({
      gateway: r.gateway_id, epoch: r.epoch, seq: r.seq, type: r.type, ts: r.ts,
      event: JSON.parse(r.payload) as GatewayEvent, receivedAt: r.received_at,
    }));
  }
}
