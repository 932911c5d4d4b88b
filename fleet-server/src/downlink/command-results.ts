import type { Logger } from 'pino';
import { CommandResult, WIRE_VERSION } from '@edgefleet/protocol';
import type { GatewayEvent } from '@edgefleet/protocol';
import type { Ingest } from '../ingest/start-ingest.js';
import type { ApiStore } from '../store/store-api.js';
import type { StoredCommand } from '../store/store-api-types.js';
import { Waiters } from './waiters.js';

export interface CommandResultsDeps {
  store: Pick<ApiStore, 'completeCommand' | 'getCommand'>;
  ingest: Pick<Ingest, 'listen'>;
  logger: Logger;
  /** completedAt is server time, like createdAt, so the two can be subtracted; result.ts keeps the gateway's. */
  now: () => number;
}

/**
 * Records each gateway command result on its command row (store.completeCommand) and wakes the
 * requests waiting for it. Results arrive as COMMAND_RESULT notice events (the ingest stores
 * cmd-result that way, ingest/command-result-event.ts), so only new, deduplicated ones get here.
 */
export class CommandResults {
  private readonly waiters = new Waiters<string, StoredCommand>();
  private readonly inFlight = new Set<Promise<void>>();
  private unlisten: (() => void) | undefined;

  constructor(private readonly deps: CommandResultsDeps) {}

  start(): void {
    this.unlisten ??= this.deps.ingest.listen({ onEvents: (gatewayId, events) => this.track(this.record(gatewayId, events)) });
  }

  /**
   * Resolves with the command once it is no longer pending, or with its stored state after
   * `timeoutMs`. Call before publishing, or a fast result could be missed; a result that landed
   * before the call is found in the store.
   */
  async waitFor(id: string, timeoutMs: number, signal?: AbortSignal): Promise<StoredCommand | undefined> {
    const waiting = this.waiters.wait(id, timeoutMs, undefined, signal);
    const stored = await this.deps.store.getCommand(id);
    if (stored && stored.state !== 'pending') {
      this.waiters.settle(id, stored);
      return stored;
    }
    return (await waiting) ?? this.deps.store.getCommand(id);
  }

  /** Ends every wait now (the stored state is answered), and later ones at once: the HTTP server is closing. */
  cancelWaits(): void {
    this.waiters.cancelAll();
  }

  async stop(): Promise<void> {
    this.unlisten?.();
    this.unlisten = undefined;
    await Promise.all([...this.inFlight]);
    this.waiters.cancelAll();
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  private async record(gatewayId: string, events: readonly GatewayEvent[]): Promise<void> {
    for (const event of events) {
      const result = resultOf(gatewayId, event);
      if (!result) continue;
      try {
        // The store completes a command only from the gateway it was sent to (undefined otherwise).
        const command = await this.deps.store.completeCommand(result, this.deps.now());
        if (command) this.waiters.settle(command.id, command);
      } catch (err) {
        this.deps.logger.error({ err, gatewayId, id: result.id }, 'command result could not be recorded');
      }
    }
  }
}

/** The CommandResult a COMMAND_RESULT notice was made from (inverse of commandResultEvent), if it is one. */
export function resultOf(gatewayId: string, event: GatewayEvent): CommandResult | undefined {
  if (event.type !== 'notice' || event.code !== 'COMMAND_RESULT') return undefined;
  const { id, status, reason, readBack } = event.details ?? {};
  const parsed = CommandResult.safeParse({
    v: WIRE_VERSION, gateway: gatewayId, stream: 'events', seq: event.seq, id, device: event.device, status, ts: event.ts,
    ...(reason === undefined ? {} : { reason }), ...(readBack === undefined ? {} : { readBack }),
  });
  return parsed.success ? parsed.data : undefined;
}
