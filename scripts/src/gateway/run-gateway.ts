import { loadGatewayConfig, startGateway } from '@edgefleet/gateway';
import { loadProfileRegistry } from '../sim/profile-registry.js';

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
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await gateway.stop();
}
