import type { Command } from 'commander';
import { usageError } from '../cli-error.js';
import { registerGatewayFleetCommands } from './gateway-fleet.js';

/**
 * `fleet gateway --config gateway.yaml` — the on-site gateway process (systemd runs this); its
 * subcommands provision, enroll and list gateways through the fleet server (gateway-fleet.ts).
 */
export function registerGatewayCommands(program: Command): void {
  const gateway = program
    .command('gateway')
    .description('Run the gateway: poll Modbus devices, buffer in the outbox, sync over MQTT')
    // Not requiredOption: commander checks a parent's mandatory options before it dispatches to
    // a subcommand, so `fleet gateway provision` would demand --config.
    .option('--config <file>', 'gateway.yaml (see docs/gateway-config.md); required to run')
    .option('--profiles <dir...>', 'extra profile directories besides the built-in ones')
    // `fleet gateway enroll --config x` must reach enroll's own --config, not this one.
    .enablePositionalOptions()
    .action(async (opts: { config?: string; profiles?: string[] }) => {
      if (opts.config === undefined) throw usageError('fleet gateway needs --config <file>', 'fleet gateway enroll writes one; see fleet gateway --help');
      const { runGateway } = await import('../../gateway/run-gateway.js');
      await runGateway({ configFile: opts.config, profileDirs: opts.profiles ?? [] });
    });
  registerGatewayFleetCommands(gateway);
}
