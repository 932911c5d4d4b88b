import type { Aedes } from 'aedes';
import type { Logger } from 'pino';
import type { ProfileRegistry } from '@edgefleet/device-profiles';
import type { UnansweredTiming } from '../downlink/command-results.js';
import type { Ingest } from '../ingest/start-ingest.js';
import type { Live } from '../live/start-live.js';
import type { ApiStore } from '../store/store-api.js';
import type { Store } from '../store/store.js';

/** What every /api/v1 route module receives from main.ts. */
export interface ApiDeps {
  store: Store & ApiStore;
  /** For publishing desired configs (retained) and commands to gateways. */
  broker: Aedes;
  profiles: ProfileRegistry;
  logger: Logger;
  now: () => number;
  /** Command results and the gateways' config state arrive through the ingest (downlink-tracker.ts). */
  ingest: Pick<Ingest, 'listen'>;
  /** The live event hub and its tickets (GET /events). */
  live: Live;
  /** Wakes the SMS sender after an API ack/resolve, so it skips queued texts at once (as the ack link does). */
  wakeSender: () => void;
  /** When commands without a result become 'unanswered' (default: downlink's DEFAULT_UNANSWERED). */
  commands?: UnansweredTiming;
  /**
   * Where enrolled gateways reach the broker (POST /enroll). Absent (tests of other routes):
   * mqtt://<the host the API was reached at>:1883.
   */
  gatewayBroker?: { publicUrl?: string | undefined; port: number; tls: boolean };
}
