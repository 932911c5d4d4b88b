import type { Database, Statement } from 'better-sqlite3';
import { checkLimit } from './query-limit.js';
import type { RollupQuery, RollupRow } from './store-api-types.js';
import { HOUR_MS, checkHourRange, decodeSqliteJson, toRollup, type RollupDbRow } from './store-api-rows.js';

/**
 * Hourly rollups of raw telemetry. Numbers count as themselves and booleans as 0/1; every other
 * value (strings, bit arrays, null) only competes for `last`, the hour's newest reading (ts, then seq).
 * An upsert, never a delete: an hour whose raw rows were already pruned keeps its rollup.
 */
export class SqliteRollups {
  private readonly compute: Statement<[number, number]>;
  private readonly select: Statement<[string, string, string, number, number, number]>;

  constructor(db: Database) {
    this.compute = db.prepare(`
      INSERT INTO rollups_hourly (gateway_id, device_id, point, hour, count, min, max, avg, last, last_ts)
      SELECT gateway_id, device_id, point, hour, COUNT(num), MIN(num), MAX(num), AVG(num),
        MAX(CASE WHEN rn = 1 THEN value END), MAX(ts)
      FROM (
        SELECT gateway_id, device_id, point, ts, value, (ts / ${HOUR_MS}) * ${HOUR_MS} AS hour,
          CASE json_type(value) WHEN 'integer' THEN json_extract(value, '$') WHEN 'real' THEN json_extract(value, '$')
            WHEN 'true' THEN 1 WHEN 'false' THEN 0 END AS num,
          ROW_NUMBER() OVER (PARTITION BY gateway_id, device_id, point, ts / ${HOUR_MS} ORDER BY ts DESC, seq DESC) AS rn
        FROM telemetry WHERE ts >= ? AND ts < ?)
      WHERE true
      GROUP BY gateway_id, device_id, point, hour
      ON CONFLICT (gateway_id, device_id, point, hour) DO UPDATE SET count = excluded.count, min = excluded.min,
        max = excluded.max, avg = excluded.avg, last = excluded.last, last_ts = excluded.last_ts`);
    this.select = db.prepare(`SELECT * FROM rollups_hourly
      WHERE gateway_id = ? AND device_id = ? AND point = ? AND hour >= ? AND hour < ? ORDER BY hour LIMIT ?`);
  }

  rollupHours(fromHour: number, toHour: number): number {
    checkHourRange(fromHour, toHour);
    return this.compute.run(fromHour, toHour).changes;
  }

  rollups(q: RollupQuery): RollupRow[] {
    const rows = this.select.all(q.gateway, q.device, q.point, q.from, q.to, checkLimit(q.limit)) as RollupDbRow[];
    return rows.map((r) => toRollup(r, decodeSqliteJson));
  }
}
