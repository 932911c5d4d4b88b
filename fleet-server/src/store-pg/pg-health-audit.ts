import type { GatewayHealth } from '@edgefleet/protocol';
import { checkLimit } from '../store/query-limit.js';
import type { AuditEntry, AuditInput, AuditQuery, StoredHealth } from '../store/store-types.js';
import type { Queryable } from './pg-db.js';

interface AuditRow { id: number; at: number; actor: string; action: string; target: string; details: Record<string, unknown> }

/** Newer ts wins; on equal ts (same boot) the higher seq. False when an older report arrived late. */
export async function recordHealthPg(db: Queryable, health: GatewayHealth, receivedAt: number): Promise<boolean> {
  const { gateway, bootId, seq, ts } = health;
  const { rowCount } = await db.query(`
    INSERT INTO gateway_health AS h (gateway_id, boot_id, seq, ts, received_at, payload) VALUES ($1, $2, $3, $4, $5, $6::jsonb)
    ON CONFLICT (gateway_id) DO UPDATE SET boot_id = excluded.boot_id, seq = excluded.seq, ts = excluded.ts,
      received_at = excluded.received_at, payload = excluded.payload
      WHERE excluded.ts > h.ts OR (excluded.ts = h.ts AND excluded.seq > h.seq)`,
  [gateway, bootId, seq, ts, receivedAt, JSON.stringify(health)]);
  return (rowCount ?? 0) > 0;
}

export async function latestHealthPg(db: Queryable, gatewayId: string): Promise<StoredHealth | undefined> {
  const row = (await db.query<{ payload: GatewayHealth; received_at: number }>(
    'SELECT payload, received_at FROM gateway_health WHERE gateway_id = $1', [gatewayId])).rows[0];
  return row && { health: row.payload, receivedAt: row.received_at };
}

/** Appends to the audit log; the identity column gives the id. */
export async function appendAuditPg(db: Queryable, entry: AuditInput): Promise<AuditEntry> {
  const { rows } = await db.query<{ id: number }>(
    'INSERT INTO audit_log (at, actor, action, target, details) VALUES ($1, $2, $3, $4, $5::jsonb) RETURNING id',
    [entry.at, entry.actor, entry.action, entry.target, JSON.stringify(entry.details)]);
  const id = rows[0]?.id;
  if (id === undefined) throw new Error('audit insert returned no id');
  return { id, ...entry };
}

/** Newest first; from <= at < to; actor and target filter exactly. */
export async function listAuditPg(db: Queryable, q: AuditQuery): Promise<AuditEntry[]> {
  const { rows } = await db.query<AuditRow>(`SELECT * FROM audit_log WHERE at >= $1 AND at < $2
    AND ($3::text IS NULL OR actor = $3) AND ($4::text IS NULL OR target = $4) ORDER BY id DESC LIMIT $5`,
  [q.from ?? 0, q.to ?? Number.MAX_SAFE_INTEGER, q.actor ?? null, q.target ?? null, checkLimit(q.limit)]);
  return rows.map((r) => ({ id: r.id, at: r.at, actor: r.actor, action: r.action, target: r.target, details: r.details }));
}
