// Child process of fault-to-sms: a real gateway (startGateway on a gateway.yaml: poller, edge
// alarm rules, SQLite outbox, MQTT uplink) in its own process, as it runs on the site box.
//   srv-gateway-child.ts GATEWAY_YAML
// Prints {"pid"}; answers {"outbox": true} with the outbox stats; closing stdin stops it.
import { pino } from 'pino';
import { ProfileRegistry, loadBuiltinProfiles } from '@edgefleet/device-profiles';
import { loadGatewayConfig, startGateway } from '@edgefleet/gateway';
import { serveRpc } from './child-rpc.js';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (file === undefined) throw new Error('usage: srv-gateway-child.ts GATEWAY_YAML');
  const registry = new ProfileRegistry(loadBuiltinProfiles());
  const gw = await startGateway(await loadGatewayConfig(file, registry), { registry, logger: pino({ level: 'error' }, pino.destination(2)) });
  serveRpc(
    { pid: process.pid },
    async (request) => {
      if (request.outbox === true) return { ...gw.outbox.stats() };
      throw new Error(`srv-gateway-child: unknown request ${JSON.stringify(request)}`);
    },
    () => gw.stop(),
  );
}

await main();
