import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { controlRequest, parseParams } from '../../sim/control-client.js';
import { readRuntimeFile } from '../../sim/runtime-file.js';

/** --control, else FLEET_SIM_URL, else the sim running on this machine. */
function controlUrl(given: string | undefined): string {
  const url = given || process.env.FLEET_SIM_URL || readRuntimeFile()?.controlUrl;
  if (!url) throw new CliError('no running sim found: start `fleet sim --site FILE`, or pass --control URL (env FLEET_SIM_URL)');
  return url;
}


/** `fleet sim ...` — run simulated Modbus devices and drive their faults. */
export function registerSimCommands(program: Command): void {
  const sim = program
    .command('sim')
    .description('Run a simulated site of Modbus devices (firmware-sim) and inject faults')
    .option('--site <file>', 'site file: devices, profiles, transports (see firmware-sim/sites/)')
    .option('--control-port <port>', 'HTTP control interface port (overrides the site file; 0 = any free port)')
    .option('--profiles <dir...>', 'extra profile directories besides the built-in ones')
    .action(async (opts: { site?: string; controlPort?: string; profiles?: string[] }) => {
      if (!opts.site) throw new CliError('fleet sim: --site <file> is required (try firmware-sim/sites/example-site.yaml)');
      // Loaded on use: the simulator pulls in fastify and serialport, which other commands never need.
      const { runSite } = await import('../../sim/run-site.js');
      await runSite({ siteFile: opts.site, controlPort: parsePort(opts.controlPort), profileDirs: opts.profiles ?? [] });
    });

  const control = (cmd: Command): Command => cmd.option('--control <url>', 'control interface of a running sim (default: env FLEET_SIM_URL, else the sim running here)');

  control(sim.command('devices').description('List the devices of a running sim with their active faults')).action(async (o: { control?: string }) => {
    print(await controlRequest(controlUrl(o.control), 'GET', '/devices'));
  });

  control(sim.command('truth <device>').description("Print a device's ground truth: the values its model holds now")).action(
    async (device: string, o: { control?: string }) => print(await controlRequest(controlUrl(o.control), 'GET', `/devices/${encodeURIComponent(device)}`)),
  );

  control(sim.command('faults <device>').description('List the faults a device can take, and the active ones')).action(
    async (device: string, o: { control?: string }) => print(await controlRequest(controlUrl(o.control), 'GET', `/devices/${encodeURIComponent(device)}/faults`)),
  );

  control(
    sim
      .command('fault <device> [fault]')
      .description('Inject a fault (or --clear it; --clear without a fault clears all)')
      .option('--param <key=value...>', 'fault parameters, e.g. --param code=2')
      .option('--clear', 'clear instead of inject'),
  ).action(async (device: string, fault: string | undefined, o: { control?: string; param?: string[]; clear?: boolean }) => {
    const base = `/devices/${encodeURIComponent(device)}/faults`;
    if (o.clear) {
      print(await controlRequest(controlUrl(o.control), 'DELETE', fault ? `${base}/${encodeURIComponent(fault)}` : base));
      return;
    }
    if (!fault) throw new CliError('fleet sim fault: name the fault to inject (see `fleet sim faults <device>`)');
    print(await controlRequest(controlUrl(o.control), 'POST', base, { fault, params: parseParams(o.param ?? []) }));
  });
}

function parsePort(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--control-port must be 0..65535, got "${text}"`);
  return port;
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
