import type { Command } from 'commander';
import { CliError, EXIT, usageError } from '../cli-error.js';
import { ApiRefusal } from '../fleet-api/api-client.js';
import { parseWait, pushAndWait } from '../fleet-api/config-push.js';
import type { ConfigOutcome } from '../fleet-api/config-push.js';
import { ago, printListing, printResult } from '../fleet-api/print.js';
import { addServerOptions, apiClientFor } from '../fleet-api/server-options.js';
import type { ServerCliOptions } from '../fleet-api/server-options.js';
import { parseId, slugOrUsage } from '../fleet-api/slug.js';

interface ConfiguredDevice {
  id: string;
  bus: string;
  unit: number;
  profile: string;
  name?: string;
  location?: string;
  enabled: boolean;
}

interface ConfigView {
  desired: { version: number; config: { devices: ConfiguredDevice[] } } | null;
  reported: { version: number };
  outcome: ConfigOutcome | null;
}

interface DeviceView {
  device: string;
  profile: string | null;
  name: string;
  lastReadingAt: number | null;
}

interface AddOptions extends ServerCliOptions {
  gateway: string;
  bus: string;
  unit: string;
  profile: string;
  name: string;
  id?: string;
  location?: string;
  wait: string;
  json?: boolean;
}

const WAIT_HELP = 'how long to wait for the gateway to apply it (at most 60s)';

function parseUnit(text: string): number {
  const unit = Number(text);
  if (!/^\d+$/.test(text) || unit > 255) throw usageError(`--unit must be a Modbus unit id 0..255 (RTU: 1..247), got "${text}"`);
  return unit;
}

/** `fleet device add|remove|list` — a gateway's devices, changed through its desired config. */
export function registerDeviceCommands(program: Command): void {
  const device = program.command('device').description("Add, remove and list a gateway's devices (through its desired config; waits for the gateway)");

  addServerOptions(device
    .command('add')
    .description("Add a device to a gateway's desired config and wait until the gateway applied or rejected it")
    .requiredOption('--gateway <id>', 'gateway id')
    .requiredOption('--bus <id>', 'bus of the gateway the device is on (see fleet bus list)')
    .requiredOption('--unit <n>', 'Modbus unit id')
    .requiredOption('--profile <id>', 'device profile (fleet profile list)')
    .requiredOption('--name <name>', 'name for people, e.g. "Lift A"')
    .option('--id <id>', 'device id, unique on the gateway (default: the name as a slug)')
    .option('--location <text>', 'where it is, e.g. "Block 3, machine room"')
    .option('--wait <duration>', WAIT_HELP, '30s')
    .option('--json', 'print the outcome as JSON'))
    .addHelpText('after', `
Example: fleet device add --gateway depot-north --bus plant-room --unit 1 --profile aquametrix-um50 --name "Water main"
Exit codes: 0 applied, 1 the device exists or the gateway has no bus yet (fleet bus add), 2 bad option,
7 server unreachable, 8 not allowed, 9 the gateway rejected it (undone), 10 no answer within --wait
(stays pending).`)
    .action(async (opts: AddOptions) => {
      const gateway = parseId(opts.gateway, '--gateway');
      const id = opts.id === undefined ? slugOrUsage(opts.name, '--id') : parseId(opts.id, '--id');
      const body = {
        id, bus: parseId(opts.bus, '--bus'), unit: parseUnit(opts.unit), profile: parseId(opts.profile, '--profile'), name: opts.name,
        ...(opts.location === undefined ? {} : { location: opts.location }),
      };
      const wait = parseWait(opts.wait);
      const api = await apiClientFor(opts);
      let reply;
      try {
        reply = await pushAndWait(api, gateway, 'POST', `/gateways/${gateway}/config/devices`, body, wait, `add device ${id}`);
      } catch (err) {
        if (err instanceof ApiRefusal && err.code === 'CONFLICT' && /no desired config/.test(err.message)) {
          throw new CliError(`gateway ${gateway} has no bus ${body.bus} yet (it has no desired config)`, EXIT.failure, `add the bus first: fleet bus add --gateway ${gateway} --id ${body.bus} --tcp HOST[:PORT] | --rtu PATH`);
        }
        if (err instanceof CliError && err.exitCode === EXIT.rejected) {
          // Undo, so the next change does not carry a device the gateway refuses.
          await api.request('DELETE', `/gateways/${gateway}/config/devices/${id}`).catch(() => undefined);
          throw new CliError(`${err.message}; removed it from the desired config again`, EXIT.rejected, 'check --bus, --unit and --profile');
        }
        throw err;
      }
      // The inventory row gives the API's values their point names and units.
      await api.request('PUT', `/gateways/${gateway}/devices/${id}`, { profile: body.profile, name: body.name, ...(opts.location === undefined ? {} : { location: opts.location }) });
      printResult({ gateway, device: id, ...reply }, opts, () => `device ${id} added to gateway ${gateway}: config v${reply.desired.version} applied`);
    });

  addServerOptions(device
    .command('remove')
    .description("Remove a device from a gateway's desired config and wait until the gateway applied it")
    .argument('<device>', 'device id')
    .requiredOption('--gateway <id>', 'gateway id')
    .option('--wait <duration>', WAIT_HELP, '30s')
    .option('--json', 'print the outcome as JSON'))
    .addHelpText('after', `
Example: fleet device remove --gateway depot-north water-main
Exit codes: 0 applied, 1 not in the desired config, 2 bad option, 7 server unreachable, 8 not allowed,
9 the gateway rejected it, 10 no answer within --wait (stays pending).`)
    .action(async (deviceId: string, opts: ServerCliOptions & { gateway: string; wait: string; json?: boolean }) => {
      const gateway = parseId(opts.gateway, '--gateway');
      const id = parseId(deviceId, 'device');
      const wait = parseWait(opts.wait);
      const api = await apiClientFor(opts);
      const reply = await pushAndWait(api, gateway, 'DELETE', `/gateways/${gateway}/config/devices/${id}`, undefined, wait, `remove device ${id}`);
      await api.request('DELETE', `/gateways/${gateway}/devices/${id}`, undefined, { accept: [404] });
      printResult({ gateway, device: id, ...reply }, opts, () => `device ${id} removed from gateway ${gateway}: config v${reply.desired.version} applied`);
    });

  addServerOptions(device
    .command('list')
    .description("List a gateway's devices: desired config and the newest reading of each")
    .requiredOption('--gateway <id>', 'gateway id')
    .option('--json', 'print JSON'))
    .addHelpText('after', '\nExit codes: 0 listed, 1 no such gateway, 7 server unreachable, 8 not logged in.')
    .action(async (opts: ServerCliOptions & { gateway: string; json?: boolean }) => {
      const gateway = parseId(opts.gateway, '--gateway');
      const api = await apiClientFor(opts);
      const [config, seen] = await Promise.all([
        api.get<ConfigView>(`/gateways/${gateway}/config`), api.get<{ items: DeviceView[] }>(`/gateways/${gateway}/devices`),
      ]);
      const readings = new Map(seen.items.map((d) => [d.device, d]));
      const configured = config.desired?.config.devices ?? [];
      const rows = [
        ...configured.map((d) => ({ device: d.id, bus: d.bus, unit: d.unit, profile: d.profile, name: d.name ?? d.id, enabled: d.enabled, inDesiredConfig: true, lastReadingAt: readings.get(d.id)?.lastReadingAt ?? null })),
        ...seen.items.filter((d) => !configured.some((c) => c.id === d.device))
          .map((d) => ({ device: d.device, bus: null, unit: null, profile: d.profile, name: d.name, enabled: true, inDesiredConfig: false, lastReadingAt: d.lastReadingAt })),
      ];
      if (opts.json !== true) process.stderr.write(`${syncLine(gateway, config)}\n`);
      printListing(rows, opts, ['DEVICE', 'BUS', 'UNIT', 'PROFILE', 'NAME', 'LAST READING'],
        (r) => [r.device, r.bus ?? '-', r.unit === null ? '-' : String(r.unit), r.profile ?? '?', r.name, ago(r.lastReadingAt)], `no devices on gateway ${gateway}`);
    });
}

function syncLine(gateway: string, config: ConfigView): string {
  if (config.desired === null) return `gateway ${gateway}: no desired config; it runs its local gateway.yaml (runs v${config.reported.version})`;
  const o = config.outcome;
  const state = o?.state === 'rejected' ? `rejected: ${o.reason}` : (o?.state ?? 'pending');
  return `gateway ${gateway}: desired config v${config.desired.version} ${state}; the gateway runs v${config.reported.version}`;
}
