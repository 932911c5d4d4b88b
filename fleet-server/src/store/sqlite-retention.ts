import type { Database, Statement } from 'better-sqlite3';
import type { RetentionResult } from './store-api-types.js';
import { checkEpoch } from './store-api-rows.js';

export interface PruneCutoffs { telemetryBefore: number; seqsBefore: number; eventsBefore: number }

/** Age-based deletion of raw telemetry, the dedup ledger and events, in one transaction. */
export class SqliteRetention {
  private readonly telemetry: Statement<[number]>;
  private readonly seqs: Statement<[number]>;
  private readonly events: Statement<[number]>;
  private readonly run: (c: PruneCutoffs) => RetentionResult;

  constructor(db: Database) {
    this.telemetry = db.prepare('DELETE FROM telemetry WHERE ts < ?');
    this.seqs = db.prepare('DELETE FROM received_seqs WHERE received_at < ?');
    this.events = db.prepare('DELETE FROM events WHERE ts < ?');
    this.run = db.transaction((c: PruneCutoffs) => ({
      telemetryDeleted: this.telemetry.run(c.telemetryBefore).changes,
      receivedSeqsDeleted: this.seqs.run(c.seqsBefore).changes,
      eventsDeleted: this.events.run(c.eventsBefore).changes,
    }));
  }

  prune(c: PruneCutoffs): RetentionResult {
    checkEpoch('telemetryBefore', c.telemetryBefore);
    checkEpoch('seqsBefore', c.seqsBefore);
    checkEpoch('eventsBefore', c.eventsBefore);
    return this.run(c);
  }
}
