import type { Database, Statement } from 'better-sqlite3';
import type { GatewayHealth } from '@edgefleet/protocol';
import type { StoredHealth } from './store-types.js';

interface HealthRow { payload: string; received_at: number }

/** The latest health report per gateway; history is not kept (the metrics carry the trends). */
export class SqliteHealth {
  private readonly upsert: Statement<[string, string, number, number, number, string]>;
  private readonly select: Statement<[string]>;

  constructor(db: Database) {
    // Newer ts wins; on equal ts (same boot) the higher seq.
    this.upsert = db.prepare(`
      INSERT INTO gateway_health (gateway_id, boot_id, seq, ts, received_at, payload) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (gateway_id) DO UPDATE SET boot_id = excluded.boot_id, seq = excluded.seq, ts = excluded.ts,
        received_at = excluded.received_at, payload = excluded.payload
        WHERE excluded.ts > gateway_health.ts OR (excluded.ts = gateway_health.ts AND excluded.seq > gateway_health.seq)`);
    this.select = db.prepare('SELECT payload, received_at FROM gateway_health WHERE gateway_id = ?');
  }

  recordHealth(health: GatewayHealth, receivedAt: number): boolean {
    const { gateway, bootId, seq, ts } = health;
    return this.upsert.run(gateway, bootId, seq, ts, receivedAt, JSON.stringify(health)).changes > 0;
  }

  latestHealth(gatewayId: string): StoredHealth | undefined {
    const row = this.select.get(gatewayId) as HealthRow | undefined;
    return row && { health: JSON.parse(row.payload) as GatewayHealth, receivedAt: row.received_at };
  }
}
