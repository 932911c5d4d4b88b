import type { Logger } from 'pino';
import { CommandRequest, DesiredConfig } from '@edgefleet/protocol';
import type { CommandResult, DownlinkChannel, NoticeCode } from '@edgefleet/protocol';
import type { NewEvent, OutboxApi } from '../outbox/outbox-types.js';
import type { ConfigStatus } from '../uplink/gateway-status.js';
import { configAfterApplied, configAfterRejected, isConfigHandled } from './config-status.js';
import { parsePayload, readCommandIdentity, readConfigVersion } from './parse-payload.js';
import { RecentIds } from './recent-ids.js';

/** interrupted: the gateway stopped mid-apply; neither applied nor rejected, so nothing is reported. */
export type ConfigOutcome = { applied: true } | { applied: false; reason: string; interrupted?: boolean };
/** What a command handler returns; the downlink adds the envelope and the outbox the seq. */
export type CommandOutcome = Omit<CommandResult, 'seq' | 'v' | 'gateway' | 'stream'>;

export interface DownlinkDeps {
  /** Only enqueueEvents is used: results and notices travel in the event stream. */
  outbox: Pick<OutboxApi, 'enqueueEvents'>;
  logger: Logger;
  now?: () => number;
  /** Applies atomically (with rollback) or says why not; the composition root provides it. */
  onDesiredConfig: (desired: DesiredConfig) => Promise<ConfigOutcome>;
  /** Runs a valid, unexpired, first-seen command. */
  onCommand: (command: CommandRequest) => Promise<CommandOutcome>;
  /** The status' config part after every applied or rejected config (Uplink.setConfigStatus). */
  reportConfig?: (status: ConfigStatus) => void;
  /** The running config's version (0 = none), and the last rejection, from local persistence. */
  initialConfig?: ConfigStatus;
  /** Command ids remembered against redelivery; default 1,000. */
  recentCommandIds?: number;
}

export interface DownlinkStats {
  /** interrupted: cut short by the gateway's stop, neither applied nor rejected. */
  configs: { received: number; applied: number; rejected: number; invalid: number; repeated: number; interrupted: number };
  commands: { received: number; run: number; invalid: number; expired: number; duplicates: number; failed: number };
}

/**
 * Dispatches the downlink: the desired config (retained) and commands. Nothing received can
 * crash it or close the connection: a bad payload is counted, logged with its reason and
 * reported through the outbox's event stream, so the report survives an outage.
 */
export class Downlink {
  private readonly deps: DownlinkDeps;
  private readonly now: () => number;
  private readonly recentIds: RecentIds;
  private config: ConfigStatus;
  /** Configs are applied one at a time, in arrival order. */
  private configChain: Promise<void> = Promise.resolve();
  private readonly counters: DownlinkStats = {
    configs: { received: 0, applied: 0, rejected: 0, invalid: 0, repeated: 0, interrupted: 0 },
    commands: { received: 0, run: 0, invalid: 0, expired: 0, duplicates: 0, failed: 0 },
  };

  constructor(deps: DownlinkDeps) {
    this.deps = deps;
    this.now = deps.now ?? Date.now;
    this.recentIds = new RecentIds(deps.recentCommandIds ?? 1_000);
    this.config = deps.initialConfig ?? { version: 0 };
  }

  /** For Uplink's onDownlink. Resolves when the message is dispatched and its outcome recorded. */
  handle(channel: DownlinkChannel, payload: Buffer): Promise<void> {
    if (channel === 'config') {
      const next = this.configChain.then(() => this.handleConfig(payload));
      this.configChain = next.catch(() => undefined);
      return next;
    }
    return this.handleCommand(payload);
  }

  /** Resolves once every config received so far has been handled (the stop sequence waits on it). */
  configIdle(): Promise<void> {
    return this.configChain;
  }

  configStatus(): ConfigStatus {
    return this.config;
  }

  stats(): DownlinkStats {
    return { configs: { ...this.counters.configs }, commands: { ...this.counters.commands } };
  }

  private async handleConfig(payload: Buffer): Promise<void> {
    // An empty retained message is the server clearing the topic, not a config.
    if (payload.length === 0) return;
    this.counters.configs.received += 1;
    const parsed = parsePayload(payload, DesiredConfig);
    if (!parsed.ok) {
      this.counters.configs.invalid += 1;
      this.rejectConfig(readConfigVersion(parsed.raw), `invalid desired config: ${parsed.reason}`);
      return;
    }
    const desired = parsed.value;
    // The retained config comes again after every (re)subscribe: handle each version once.
    if (isConfigHandled(this.config, desired.version)) {
      this.counters.configs.repeated += 1;
      this.deps.logger.debug({ version: desired.version }, 'downlink: desired config already handled; ignored');
      return;
    }
    let outcome: ConfigOutcome;
    try {
      outcome = await this.deps.onDesiredConfig(desired);
    } catch (err) {
      outcome = { applied: false, reason: `apply failed: ${(err as Error).message}` };
    }
    if (!outcome.applied && outcome.interrupted === true) {
      this.counters.configs.interrupted += 1;
      // Not handled: the server's retained config comes again after the restart and is applied then.
      this.deps.logger.info({ version: desired.version }, 'downlink: desired config not applied; the gateway is stopping');
      return;
    }
    if (!outcome.applied) {
      this.rejectConfig(desired.version, outcome.reason);
      return;
    }
    this.counters.configs.applied += 1;
    this.config = configAfterApplied(this.config, desired.version, this.now());
    this.deps.logger.info({ version: desired.version }, 'downlink: desired config applied');
    this.notice('info', 'CONFIG_APPLIED', `config version ${desired.version} applied`, { version: desired.version });
    this.deps.reportConfig?.(this.config);
  }

  private rejectConfig(version: number | undefined, reason: string): void {
    this.counters.configs.rejected += 1;
    this.deps.logger.warn({ version, reason }, 'downlink: desired config rejected; the running config stays');
    this.notice('warn', 'CONFIG_REJECTED', reason, version === undefined ? {} : { version });
    if (version === undefined) return;
    this.config = configAfterRejected(this.config, version, reason, this.now());
    this.deps.reportConfig?.(this.config);
  }

  private async handleCommand(payload: Buffer): Promise<void> {
    this.counters.commands.received += 1;
    const parsed = parsePayload(payload, CommandRequest);
    if (!parsed.ok) {
      this.counters.commands.invalid += 1;
      const identity = readCommandIdentity(parsed.raw);
      this.deps.logger.warn({ ...identity, reason: parsed.reason }, 'downlink: malformed command rejected');
      if (identity === undefined) {
        this.notice('warn', 'COMMAND_REJECTED', `malformed command without a usable id and device: ${parsed.reason}`, {});
      } else if (this.isFirstDelivery(identity.id)) {
        this.recordResult({ ...identity, status: 'rejected', ts: this.now(), reason: parsed.reason });
      }
      return;
    }
    const command = parsed.value;
    if (!this.isFirstDelivery(command.id)) return;
    const now = this.now();
    if (command.expiresAt < now) {
      this.counters.commands.expired += 1;
      this.deps.logger.warn({ id: command.id, device: command.device, expiresAt: command.expiresAt, now }, 'downlink: expired command refused');
      this.recordResult({ id: command.id, device: command.device, status: 'expired', ts: now, reason: `expired at ${new Date(command.expiresAt).toISOString()}, received at ${new Date(now).toISOString()}` });
      return;
    }
    this.counters.commands.run += 1;
    let outcome: CommandOutcome;
    try {
      outcome = await this.deps.onCommand(command);
    } catch (err) {
      outcome = { id: command.id, device: command.device, status: 'failed', ts: this.now(), reason: (err as Error).message };
    }
    if (outcome.status === 'failed') this.counters.commands.failed += 1;
    // The request names the command; a handler cannot relabel its result.
    this.recordResult({ ...outcome, id: command.id, device: command.device });
  }

  /** False (and counted) for an id seen recently: QoS 1 redelivery must not run a command twice. */
  private isFirstDelivery(id: string): boolean {
    if (this.recentIds.add(id)) return true;
    this.counters.commands.duplicates += 1;
    this.deps.logger.info({ id }, 'downlink: command id seen before (redelivery); not run again');
    return false;
  }

  private recordResult(result: CommandOutcome): void {
    this.enqueue({ type: 'cmd-result', result });
  }

  private notice(level: 'info' | 'warn' | 'error', code: NoticeCode | 'COMMAND_REJECTED', message: string, details: Record<string, unknown>): void {
    this.enqueue({ type: 'notice', ts: this.now(), level, code, message, details });
  }

  private enqueue(event: NewEvent): void {
    try {
      this.deps.outbox.enqueueEvents([event]);
    } catch (err) {
      this.deps.logger.error({ err, event }, 'downlink: could not store a result/notice in the outbox');
    }
  }
}
