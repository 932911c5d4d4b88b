import type { Logger } from 'pino';
import type { GatewayStatus } from '@edgefleet/protocol';
import type { Ingest } from '../ingest/start-ingest.js';
import type { ApiStore } from '../store/store-api.js';
import type { GatewayConfigState } from '../store/store-api-types.js';
import { IngestWaiters } from './ingest-waiters.js';

export interface ConfigStatesDeps {
  store: Pick<ApiStore, 'setGatewayConfigState' | 'gatewayConfigState'>;
  ingest: Pick<Ingest, 'listen'>;
  logger: Logger;
}

/** What became of one desired version on the gateway. */
export type ConfigOutcome =
  | { state: 'applied'; version: number; appliedAt: number | null }
  | { state: 'rejected'; version: number; reason: string; ts: number }
  | { state: 'pending'; version: number };

/** Applied when the gateway runs this version or a newer one; rejected when its last refusal names it. */
export function outcomeFor(version: number, reported: GatewayConfigState): ConfigOutcome {
  if (reported.rejected?.version === version) return { state: 'rejected', version, reason: reported.rejected.reason, ts: reported.rejected.ts };
  if (reported.version >= version) return { state: 'applied', version, appliedAt: reported.appliedAt };
  return { state: 'pending', version };
}

/**
 * Records the config part of each gateway status (applied version, last rejection) and wakes the
 * requests waiting for a version's outcome. Statuses without a config part (the last will) leave
 * the recorded state alone.
 */
export class ConfigStates extends IngestWaiters<string, GatewayConfigState> {
  constructor(private readonly deps: ConfigStatesDeps) {
    super();
  }

  start(): void {
    this.follow(() => this.deps.ingest.listen({ onStatus: (status) => this.track(this.record(status)) }));
  }

  /** The outcome of `version` once the gateway reports it, or 'pending' after `timeoutMs`. Call before publishing. */
  async waitFor(gatewayId: string, version: number, timeoutMs: number, signal?: AbortSignal): Promise<ConfigOutcome> {
    const decided = (s: GatewayConfigState): boolean => outcomeFor(version, s).state !== 'pending';
    const waiting = this.waiters.wait(gatewayId, timeoutMs, decided, signal);
    const now = await this.deps.store.gatewayConfigState(gatewayId);
    if (decided(now)) {
      this.waiters.settle(gatewayId, now);
      return outcomeFor(version, now);
    }
    const reported = await waiting;
    return reported ? outcomeFor(version, reported) : { state: 'pending', version };
  }

  private async record(status: GatewayStatus): Promise<void> {
    if (!status.config) return;
    try {
      await this.deps.store.setGatewayConfigState(status.gateway, status.config);
      this.waiters.settle(status.gateway, await this.deps.store.gatewayConfigState(status.gateway));
    } catch (err) {
      this.deps.logger.error({ err, gateway: status.gateway }, 'gateway config state could not be recorded');
    }
  }
}
