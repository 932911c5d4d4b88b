import type pg from 'pg';
import type { CommandResult } from '@edgefleet/protocol';
import { checkLimit } from '../store/query-limit.js';
import type { CommandInput, CommandQuery, StoredCommand } from '../store/store-api-types.js';
import { COMMAND_COLUMNS, decodePgJson, toCommand, type CommandRow } from '../store/store-api-rows.js';
import { runUnique } from './pg-db.js';

const toStored = (r: CommandRow): StoredCommand => toCommand(r, decodePgJson);

/** Commands sent to gateways and the results they reported, on PostgreSQL. */
export class PgCommands {
  constructor(private readonly pool: pg.Pool) {}

  async insertCommand(input: CommandInput): Promise<StoredCommand> {
    const { request } = input;
    const { rows } = await runUnique(`command ${request.id}`, () => this.pool.query<CommandRow>(
      `INSERT INTO commands (id, gateway_id, device_id, request, state, created_at, created_by)
       VALUES ($1, $2, $3, $4::jsonb, 'pending', $5, $6) RETURNING ${COMMAND_COLUMNS}`,
      [request.id, input.gateway, request.device, JSON.stringify(request), input.createdAt, input.createdBy]));
    const row = rows[0];
    if (!row) throw new Error(`command ${request.id}: insert returned no row`);
    return toStored(row);
  }

  async getCommand(id: string): Promise<StoredCommand | undefined> {
    const row = (await this.pool.query<CommandRow>(`SELECT ${COMMAND_COLUMNS} FROM commands WHERE id = $1`, [id])).rows[0];
    return row && toStored(row);
  }

  async listCommands(q: CommandQuery): Promise<StoredCommand[]> {
    const { rows } = await this.pool.query<CommandRow>(`SELECT ${COMMAND_COLUMNS} FROM commands
      WHERE ($1::text IS NULL OR gateway_id = $1) AND ($2::text IS NULL OR device_id = $2)
      ORDER BY created_at DESC, n DESC LIMIT $3`, [q.gateway ?? null, q.device ?? null, checkLimit(q.limit)]);
    return rows.map(toStored);
  }

  /**
   * Only the first result counts (the guarded UPDATE decides), and only from the gateway it was
   * sent to; the server's own 'unanswered' verdict is not a result.
   */
  async completeCommand(result: CommandResult, at: number): Promise<StoredCommand | undefined> {
    await this.pool.query(`UPDATE commands SET state = $1, result = $2::jsonb, completed_at = $3
      WHERE id = $4 AND gateway_id = $5 AND (completed_at IS NULL OR state = 'unanswered')`,
    [result.status, JSON.stringify(result), at, result.id, result.gateway]);
    const stored = await this.getCommand(result.id);
    return stored?.gateway === result.gateway ? stored : undefined;
  }

  /** See the SQLite twin; commands_pending (schema v7) keeps it to the commands still waiting. */
  async markUnanswered(expiredBefore: number, at: number): Promise<StoredCommand[]> {
    const { rows } = await this.pool.query<CommandRow>(`UPDATE commands SET state = 'unanswered', completed_at = $1
      WHERE completed_at IS NULL AND (request->>'expiresAt')::bigint < $2 RETURNING ${COMMAND_COLUMNS}`, [at, expiredBefore]);
    return rows.map(toStored);
  }
}
