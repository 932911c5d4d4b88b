import type { Logger } from 'pino';
import type { Ingest } from '../ingest/start-ingest.js';
import type { MetricsRegistry } from '../metrics/metrics-registry.js';
import type { Store } from '../store/store.js';
import { isTokenLiveAt } from '../store/token-state.js';
import type { LiveViewer } from './live-event.js';
import { LiveHub } from './live-hub.js';
import { LiveTickets } from './live-tickets.js';
import { observeIngest } from './observe-ingest.js';
import { observeStoreChanges } from './observe-store.js';

export interface Live {
  readonly hub: LiveHub;
  readonly tickets: LiveTickets;
  /** Whether the stream's token is still live and its user still exists. */
  isTokenLive(viewer: LiveViewer): Promise<boolean>;
  /** Connects gateway statuses and stored telemetry; returns the disconnect. */
  feed(ingest: Pick<Ingest, 'listen'>): () => void;
  /** Ends every stream and the heartbeat (also done by the HTTP app's preClose). */
  stop(): void;
}

export interface LiveOptions {
  store: Store;
  metrics: MetricsRegistry;
  logger: Logger;
  now: () => number;
  /** Default 15 s (tests shorten it). */
  heartbeatMs?: number;
}

/**
 * The live event feed of the dashboard (docs/api.md "Live events"): a hub of SSE streams fed by
 * the store's alert and command changes and by the ingest. Call before anything writes alerts:
 * it wraps the store instance's changing methods (observe-store.ts).
 */
export function startLive(options: LiveOptions): Live {
  const { store, now } = options;
  const gauge = options.metrics.gauge('edgefleet_live_streams', 'Open live event streams (GET /api/v1/events)');
  gauge.set(0);
  const isTokenLive = async (viewer: LiveViewer): Promise<boolean> => {
    const token = (await store.listTokens(viewer.userId)).find((t) => t.id === viewer.tokenId);
    return token !== undefined && isTokenLiveAt(token, now()) && (await store.getUser(viewer.userId)) !== undefined;
  };
  const hub = new LiveHub({
    isTokenLive, logger: options.logger, onCount: (open) => gauge.set(open), now,
    ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
  });
  observeStoreChanges(store, hub);
  hub.start();
  return {
    hub, tickets: new LiveTickets(now), isTokenLive,
    feed: (ingest) => observeIngest(ingest, store, hub),
    stop: () => hub.close('server stopping'),
  };
}
