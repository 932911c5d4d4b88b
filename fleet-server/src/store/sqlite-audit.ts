import type { Database, Statement } from 'better-sqlite3';
import { checkLimit } from './query-limit.js';
import type { AuditEntry, AuditInput, AuditQuery } from './store-types.js';

interface AuditRow { id: number; at: number; actor: string; action: string; target: string; details: string }

/** The append-only audit log: every mutating API call and every acknowledgement. */
export class SqliteAudit {
  private readonly insert: Statement<[number, string, string, string, string]>;
  private readonly select: Statement<[number, number, string | null, string | null, string | null, string | null, number]>;

  constructor(db: Database) {
    this.insert = db.prepare('INSERT INTO audit_log (at, actor, action, target, details) VALUES (?, ?, ?, ?, ?)');
    this.select = db.prepare(`SELECT * FROM audit_log WHERE at >= ? AND at < ?
      AND (? IS NULL OR actor = ?) AND (? IS NULL OR target = ?) ORDER BY id DESC LIMIT ?`);
  }

  appendAudit(entry: AuditInput): AuditEntry {
    const id = Number(this.insert.run(entry.at, entry.actor, entry.action, entry.target, JSON.stringify(entry.details)).lastInsertRowid);
    return { id, ...entry };
  }

  listAudit(q: AuditQuery): AuditEntry[] {
    const actor = q.actor ?? null;
    const target = q.target ?? null;
    const rows = this.select.all(q.from ?? 0, q.to ?? Number.MAX_SAFE_INTEGER, actor, actor, target, target, checkLimit(q.limit)) as AuditRow[];
    return rows.map((r) => ({
      id: r.id, at: r.at, actor: r.actor, action: r.action, target: r.target,
      details: JSON.parse(r.details) as Record<string, unknown>,
    }));
  }
}
