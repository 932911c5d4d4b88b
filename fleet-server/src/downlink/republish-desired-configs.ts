import type { Aedes } from 'aedes';
import type { Logger } from 'pino';
import { WIRE_VERSION } from '@edgefleet/protocol';
import type { DesiredConfig } from '@edgefleet/protocol';
import type { ApiStore } from '../store/store-api.js';
import type { Store } from '../store/store.js';
import { publishDownlink } from './publish-downlink.js';

/**
 * Publishes every gateway's latest desired config again, retained. The embedded broker keeps
 * retained messages in memory, so after a server restart a gateway that was offline when its
 * config changed would otherwise never receive it. A gateway that already runs the version
 * ignores the repeat (docs/mqtt-topics.md "config"). Returns how many were published.
 */
export async function republishDesiredConfigs(
  deps: { store: Pick<Store, 'listGateways'> & Pick<ApiStore, 'latestDesiredConfig'>; broker: Aedes; logger: Logger },
): Promise<number> {
  let published = 0;
  for (const gateway of await deps.store.listGateways()) {
    const latest = await deps.store.latestDesiredConfig(gateway.id);
    if (!latest) continue;
    const message: DesiredConfig = { v: WIRE_VERSION, version: latest.version, issuedAt: latest.createdAt, config: latest.config };
    try {
      await publishDownlink(deps.broker, gateway.id, 'config', message);
      published += 1;
    } catch (err) {
      deps.logger.error({ err, gateway: gateway.id, version: latest.version }, 'desired config could not be republished');
    }
  }
  return published;
}
