import type { Logger } from 'pino';
import { CommandResult, WIRE_VERSION } from '@edgefleet/protocol';
import type { GatewayEvent } from '@edgefleet/protocol';
import type { Ingest } from '../ingest/start-ingest.js';
import type { ApiStore } from '../store/store-api.js';
import type { StoredCommand } from '../store/store-api-types.js';
import { IngestWaiters } from './ingest-waiters.js';

/** When a command without a result is called 'unanswered' (server.yaml `commands`). */
export interface UnansweredTiming {
  /** After the request's expiresAt: a command the gateway took just before expiry may still be running. */
  replyGraceMs: number;
  /** How often waiting commands are checked. */
  sweepIntervalMs: number;
}

export const DEFAULT_UNANSWERED: UnansweredTiming = { replyGraceMs: 30_000, sweepIntervalMs: 5_000 };

export interface CommandResultsDeps {
  store: Pick<ApiStore, 'completeCommand' | 'getCommand' | 'markUnansweredCommands'>;
  ingest: Pick<Ingest, 'listen'>;
  logger: Logger;
  /** completedAt is server time, like createdAt, so the two can be subtracted; result.ts keeps the gateway's. */
  now: () => number;
  unanswered?: UnansweredTiming;
}

/**
 * Records each gateway command result on its command row (store.completeCommand) and wakes the
 * requests waiting for it. Results arrive as COMMAND_RESULT notice events (the ingest stores
 * cmd-result that way, ingest/command-result-event.ts), so only new, deduplicated ones get here.
 *
 * A command whose gateway never answers would otherwise stay 'pending' for ever (an offline
 * gateway, a lost session): a timer marks it 'unanswered' once its expiry and a grace period have
 * passed, so the operator learns the cabinet did not get it. The gateway refuses a command after
 * its expiry, so none can start later; one already running may still report, and its result then
 * replaces the verdict (the store lets a result complete an 'unanswered' command).
 */
export class CommandResults extends IngestWaiters<string, StoredCommand> {
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping = false;

  constructor(private readonly deps: CommandResultsDeps) {
    super();
  }

  start(): void {
    this.follow(() => this.deps.ingest.listen({ onEvents: (gatewayId, events) => this.track(this.record(gatewayId, events)) }));
    const timing = this.deps.unanswered ?? DEFAULT_UNANSWERED;
    this.sweepTimer ??= setInterval(() => {
      // One sweep at a time: a slow store must not stack them up.
      if (this.sweeping) return;
      this.sweeping = true;
      this.track(this.sweep(timing.replyGraceMs).finally(() => (this.sweeping = false)));
    }, timing.sweepIntervalMs);
    this.sweepTimer.unref();
  }

  /** Marks the commands that got no result by their expiry plus `graceMs` 'unanswered'; ends their waits. */
  async sweep(graceMs: number): Promise<void> {
    const at = this.deps.now();
    try {
      for (const command of await this.deps.store.markUnansweredCommands(at - graceMs, at)) {
        this.deps.logger.warn({ id: command.id, gatewayId: command.gateway, device: command.device, expiresAt: command.request.expiresAt }, 'command unanswered: no result from the gateway by its expiry');
        this.waiters.settle(command.id, command);
      }
    } catch (err) {
      this.deps.logger.error({ err }, 'unanswered commands could not be marked');
    }
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

  override async stop(): Promise<void> {
    clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    await super.stop();
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
