import { getHeapStatistics } from 'node:v8';
import { loadGatewayConfig, startGateway } from '@edgefleet/gateway';
import { loadProfileRegistry } from '../sim/profile-registry.js';

/** Above this heap limit, V8 was sized for a bigger machine than a gateway box. */
const HEAP_WARN_MB = 256;

export interface RunGatewayOptions {
  configFile: string;
  profileDirs: readonly string[];
}

/** `fleet gateway --config FILE`: runs until SIGTERM/SIGINT, then flushes, closes ports and exits. */
export async function runGateway(opts: RunGatewayOptions): Promise<void> {
  const registry = loadProfileRegistry(opts.profileDirs);
  const config = await loadGatewayConfig(opts.configFile, registry);
  const gateway = await startGateway(config, { registry });
  process.stderr.write(`fleet gateway ${config.gateway.id}: polling ${config.managed.devices.length} device(s), uplink ${config.uplink.url}\n`);
  const heapMb = getHeapStatistics().heap_size_limit / 2 ** 20;
  if (heapMb > HEAP_WARN_MB) {
    process.stderr.write(
      `fleet gateway: the V8 heap may grow to ${heapMb.toFixed(0)} MB; on a small box run with NODE_OPTIONS="--max-old-space-size=96 --max-semi-space-size=2" (docs/gateway-config.md)\n`,
    );
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await gateway.stop();
}
