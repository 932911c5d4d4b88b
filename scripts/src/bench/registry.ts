import { cockpitBench } from './cockpit.js';
import { faultToSmsBench } from './fault-to-sms.js';
import { cliScan } from './cli-scan.js';
import { cliStatus } from './cli-status.js';
import { gwDrain } from './gw-drain.js';
import { gwFootprint } from './gw-footprint.js';
import { gwOutbox } from './gw-outbox.js';
import { gwRtu } from './gw-rtu.js';
import { gwTcp } from './gw-tcp.js';
import { simRtuPacing } from './sim-rtu-pacing.js';
import { simTcp } from './sim-tcp.js';
import { srvApiCompression } from './srv-api-compression.js';
import { srvConnections } from './srv-connections.js';
import { srvIngest } from './srv-ingest.js';
import type { Benchmark } from './types.js';

/** Every benchmark `npm run bench` knows. Later issues append theirs. */
export const BENCHMARKS: Benchmark[] = [simTcp, simRtuPacing, gwOutbox, gwDrain, gwRtu, gwTcp, gwFootprint, srvIngest, faultToSmsBench, srvConnections, cliScan, cockpitBench, srvApiCompression, cliStatus];
