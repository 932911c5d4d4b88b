import type { Command } from 'commander';

/** `fleet gateway --config gateway.yaml` — the on-site gateway process (systemd runs this). */
export function registerGatewayCommands(program: Command): void {
  program
    .command('gateway')
    .description('Run the gateway: poll Modbus devices, buffer in the outbox, sync over MQTT')
    .requiredOption('--config <file>', 'gateway.yaml (see docs/gateway-config.md)')
    .option('--profiles <dir...>', 'extra profile directories besides the built-in ones')
    .action(async (opts: { config: string; profiles?: string[] }) => {
      const { runGateway } = await import('../../gateway/run-gateway.js');
      await runGateway({ configFile: opts.config, profileDirs: opts.profiles ?? [] });
    });
}
