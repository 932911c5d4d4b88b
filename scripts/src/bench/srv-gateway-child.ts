// Child process of fault-to-sms: a real gateway (startGateway on a gateway.yaml: poller, edge
// alarm rules, SQLite outbox, MQTT uplink) in its own process, as it runs on the site box.
//   srv-gateway-child.ts GATEWAY_YAML
// Prints {"pid"}; answers {"outbox": true} with the outbox stats and {"loopDelay": true} with the
// event-loop delay (ms: p50, p99, max) since the previous such request; closing stdin stops it.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import { ProfileRegistry, loadBuiltinProfiles } from '@edgefleet/device-profiles';
import { loadGatewayConfig, startGateway } from '@edgefleet/gateway';
import { serveRpc } from './child-rpc.js';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (file === undefined) throw new Error('usage: srv-gateway-child.ts GATEWAY_YAML');
  const registry = new ProfileRegistry(loadBuiltinProfiles());
  const gw = await startGateway(await loadGatewayConfig(file, registry), { registry, logger: pino({ level: 'error' }, pino.destination(2)) });
  // Poller, alarm rules, outbox and uplink share this loop: a drain that hogs it delays the polls.
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const ms = (ns: number): number => Math.round(ns / 1e5) / 10;
  serveRpc(
    { pid: process.pid },
    async (request) => {
      if (request.outbox === true) return { ...gw.outbox.stats() };
      if (request.loopDelay === true) {
        const d = { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) };
        delay.reset();
        return d;
      }
      throw new Error(`srv-gateway-child: unknown request ${JSON.stringify(request)}`);
    },
    () => gw.stop(),
  );
}

await main();
