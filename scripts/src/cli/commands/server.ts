import type { Command } from 'commander';
import { CliError } from '../cli-error.js';

/** Reads all of stdin (the secret is piped, so it lands in neither argv nor shell history). */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/**
 * `fleet server --config server.yaml` — the fleet server (MQTT broker, ingest, HTTP /healthz and
 * /metrics) until SIGTERM/SIGINT; `fleet hash-secret` prints a gateway's secretHash for server.yaml.
 */
export function registerServerCommands(program: Command): void {
  program
    .command('server')
    .description('Run the fleet server: MQTT broker for the gateways, ingest into the store, HTTP /healthz and /metrics')
    .requiredOption('--config <file>', 'server.yaml (see docs/server-config.md)')
    .action(async (opts: { config: string }) => {
      // Lazy: the server's dependencies (aedes, better-sqlite3, fastify) load only for this command.
      const { loadServerConfig, startServer } = await import('@edgefleet/fleet-server');
      const config = await loadServerConfig(opts.config);
      const server = await startServer(config);
      const mqtts = server.brokerTlsPort === undefined ? '' : `, mqtts on ${config.broker.host}:${server.brokerTlsPort}`;
      process.stderr.write(`fleet server: mqtt on ${config.broker.host}:${server.brokerPort}${mqtts}, http on ${config.http.host}:${server.httpPort}\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await server.stop();
    });
  program
    .command('hash-secret')
    .description('Read a gateway secret from stdin and print its scrypt hash (the secretHash of server.yaml)')
    .action(async () => {
      const { hashSecret } = await import('@edgefleet/fleet-server');
      const secret = await readStdin();
      if (secret.length === 0) throw new CliError('hash-secret: empty secret on stdin');
      process.stdout.write(`${await hashSecret(secret)}\n`);
    });
}
