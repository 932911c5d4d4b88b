import type { Database, Statement } from 'better-sqlite3';
import type { CommandResult } from '@edgefleet/protocol';
import { checkLimit } from './query-limit.js';
import type { CommandInput, CommandQuery, StoredCommand } from './store-api-types.js';
import { COMMAND_COLUMNS, decodeSqliteJson, toCommand, type CommandRow } from './store-api-rows.js';
import { runUnique } from './sqlite-unique.js';

const toStored = (r: CommandRow): StoredCommand => toCommand(r, decodeSqliteJson);

/** Commands sent to gateways and the results they reported. */
export class SqliteCommands {
  private readonly insert: Statement<[string, string, string, string, number, string]>;
  private readonly select: Statement<[string]>;
  private readonly list: Statement<[string | null, string | null, string | null, string | null, number]>;
  private readonly complete: Statement<[string, string, number, string, string]>;
  private readonly unanswered: Statement<[number, number]>;
  readonly completeCommand: (result: CommandResult, at: number) => StoredCommand | undefined;

  constructor(db: Database) {
    this.insert = db.prepare(`INSERT INTO commands (id, gateway_id, device_id, request, state, created_at, created_by)
      VALUES (?, ?, ?, ?, 'pending', ?, ?)`);
    this.select = db.prepare(`SELECT ${COMMAND_COLUMNS} FROM commands WHERE id = ?`);
    this.list = db.prepare(`SELECT ${COMMAND_COLUMNS} FROM commands
      WHERE (? IS NULL OR gateway_id = ?) AND (? IS NULL OR device_id = ?) ORDER BY created_at DESC, n DESC LIMIT ?`);
    // Only the first result counts, and only from the gateway the command was sent to; the
    // server's own 'unanswered' verdict is not a result.
    this.complete = db.prepare(`UPDATE commands SET state = ?, result = ?, completed_at = ?
      WHERE id = ? AND gateway_id = ? AND (completed_at IS NULL OR state = 'unanswered')`);
    // commands_pending (schema v7) keeps this to the few commands still waiting.
    this.unanswered = db.prepare(`UPDATE commands SET state = 'unanswered', completed_at = ?
      WHERE completed_at IS NULL AND json_extract(request, '$.expiresAt') < ? RETURNING ${COMMAND_COLUMNS}`);
    this.completeCommand = db.transaction((result: CommandResult, at: number) => {
      this.complete.run(result.status, JSON.stringify(result), at, result.id, result.gateway);
      const stored = this.getCommand(result.id);
      return stored?.gateway === result.gateway ? stored : undefined;
    });
  }

  insertCommand(input: CommandInput): StoredCommand {
    const { request } = input;
    runUnique(`command ${request.id}`, () =>
      this.insert.run(request.id, input.gateway, request.device, JSON.stringify(request), input.createdAt, input.createdBy));
    return {
      id: request.id, gateway: input.gateway, device: request.device, request, state: 'pending',
      createdAt: input.createdAt, createdBy: input.createdBy, result: null, completedAt: null,
    };
  }

  markUnanswered(expiredBefore: number, at: number): StoredCommand[] {
    return (this.unanswered.all(at, expiredBefore) as CommandRow[]).map(toStored);
  }

  getCommand(id: string): StoredCommand | undefined {
    const row = this.select.get(id) as CommandRow | undefined;
    return row && toStored(row);
  }

  listCommands(q: CommandQuery): StoredCommand[] {
    const gateway = q.gateway ?? null;
    const device = q.device ?? null;
    return (this.list.all(gateway, gateway, device, device, checkLimit(q.limit)) as CommandRow[]).map(toStored);
  }
}
