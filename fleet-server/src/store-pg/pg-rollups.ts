import type pg from 'pg';
import { checkLimit } from '../store/query-limit.js';
import type { RetentionResult, RollupQuery, RollupRow } from '../store/store-api-types.js';
import { HOUR_MS, checkEpoch, checkHourRange, decodePgJson, toRollup, type RollupDbRow } from '../store/store-api-rows.js';
import { inTransaction } from './pg-db.js';

export interface PruneCutoffs { telemetryBefore: number; seqsBefore: number; eventsBefore: number }

/**
 * Hourly rollups of raw telemetry (same rules as store/sqlite-rollups.ts): numbers as themselves,
 * booleans as 0/1, anything else only competes for `last`. An upsert, never a delete.
 */
export async function rollupHoursPg(pool: pg.Pool, fromHour: number, toHour: number): Promise<number> {
  checkHourRange(fromHour, toHour);
  const { rowCount } = await pool.query(`
    INSERT INTO rollups_hourly AS r (gateway_id, device_id, point, hour, count, min, max, avg, last, last_ts)
    SELECT gateway_id, device_id, point, hour, COUNT(num), MIN(num), MAX(num), AVG(num),
      (ARRAY_AGG(value ORDER BY ts DESC, seq DESC))[1], MAX(ts)
    FROM (
      SELECT gateway_id, device_id, point, ts, seq, value, (ts / ${HOUR_MS}) * ${HOUR_MS} AS hour,
        CASE jsonb_typeof(value) WHEN 'number' THEN (value #>> '{}')::float8
          WHEN 'boolean' THEN (value #>> '{}')::boolean::int::float8 END AS num
      FROM telemetry WHERE ts >= $1 AND ts < $2) t
    GROUP BY gateway_id, device_id, point, hour
    ON CONFLICT (gateway_id, device_id, point, hour) DO UPDATE SET count = excluded.count, min = excluded.min,
      max = excluded.max, avg = excluded.avg, last = excluded.last, last_ts = excluded.last_ts`,
  [fromHour, toHour]);
  return rowCount ?? 0;
}

export async function rollupsPg(pool: pg.Pool, q: RollupQuery): Promise<RollupRow[]> {
  const { rows } = await pool.query<RollupDbRow>(`SELECT * FROM rollups_hourly
    WHERE gateway_id = $1 AND device_id = $2 AND point = $3 AND hour >= $4 AND hour < $5 ORDER BY hour LIMIT $6`,
  [q.gateway, q.device, q.point, q.from, q.to, checkLimit(q.limit)]);
  return rows.map((r) => toRollup(r, decodePgJson));
}

/** Age-based deletion of raw telemetry, the dedup ledger and events, in one transaction. */
export async function prunePg(pool: pg.Pool, c: PruneCutoffs): Promise<RetentionResult> {
  checkEpoch('telemetryBefore', c.telemetryBefore);
  checkEpoch('seqsBefore', c.seqsBefore);
  checkEpoch('eventsBefore', c.eventsBefore);
  return inTransaction(pool, async (db) => ({
    telemetryDeleted: (await db.query('DELETE FROM telemetry WHERE ts < $1', [c.telemetryBefore])).rowCount ?? 0,
    receivedSeqsDeleted: (await db.query('DELETE FROM received_seqs WHERE received_at < $1', [c.seqsBefore])).rowCount ?? 0,
    eventsDeleted: (await db.query('DELETE FROM events WHERE ts < $1', [c.eventsBefore])).rowCount ?? 0,
  }));
}
