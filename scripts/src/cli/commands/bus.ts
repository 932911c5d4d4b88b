import type { Command } from 'commander';
import { CliError, EXIT, usageError } from '../cli-error.js';
import { ApiRefusal } from '../fleet-api/api-client.js';
import { parseWait, pushAndWait } from '../fleet-api/config-push.js';
import type { PushReply } from '../fleet-api/config-push.js';
import { printListing, printResult } from '../fleet-api/print.js';
import { addServerOptions, apiClientFor } from '../fleet-api/server-options.js';
import type { ServerCliOptions } from '../fleet-api/server-options.js';
import { parseId } from '../fleet-api/slug.js';

/** The managed part of a gateway's config as the server stores it (protocol ManagedConfig). */
interface ManagedConfig {
  buses: Record<string, unknown>[];
  devices: unknown[];
  polling: Record<string, unknown>;
  schedules: unknown[];
}

/** Someone else's changes keep landing between our read and write: stop and say so (the 412 names the version). */
const MAX_ATTEMPTS = 5;

interface AddOptions extends ServerCliOptions {
  gateway: string;
  id: string;
  tcp?: string;
  rtu?: string;
  baud?: string;
  parity?: string;
  timeout?: string;
  wait: string;
  json?: boolean;
}

/** --tcp HOST[:PORT] or --rtu PATH (+ --baud/--parity) → a bus of the managed config. */
export function busFromOptions(opts: AddOptions): Record<string, unknown> {
  const id = parseId(opts.id, '--id');
  if ((opts.tcp === undefined) === (opts.rtu === undefined)) throw usageError('give exactly one of --tcp HOST[:PORT] or --rtu PATH');
  const timeout = opts.timeout === undefined ? {} : { timeout: opts.timeout };
  if (opts.tcp !== undefined) {
    const match = /^([^:\s]+)(?::(\d+))?$/.exec(opts.tcp);
    const port = match?.[2] === undefined ? 502 : Number(match[2]);
    if (!match?.[1] || !(port >= 1 && port <= 65_535)) throw usageError(`--tcp must be HOST or HOST:PORT (port 1..65535), got "${opts.tcp}"`);
    if (opts.baud !== undefined || opts.parity !== undefined) throw usageError('--baud and --parity are for --rtu buses');
    return { id, kind: 'tcp', host: match[1], port, ...timeout };
  }
  const baud = opts.baud === undefined ? undefined : Number(opts.baud);
  if (baud !== undefined && !Number.isInteger(baud)) throw usageError(`--baud must be a number such as 9600 or 19200, got "${opts.baud ?? ''}"`);
  if (opts.parity !== undefined && !['none', 'even', 'odd'].includes(opts.parity)) throw usageError(`--parity must be none, even or odd, got "${opts.parity}"`);
  return { id, kind: 'rtu', path: opts.rtu, ...(baud === undefined ? {} : { baud }), ...(opts.parity === undefined ? {} : { parity: opts.parity }), ...timeout };
}

/** `fleet bus add|list` — the RS-485 lines and Modbus TCP endpoints of a gateway's desired config. */
export function registerBusCommands(program: Command): void {
  const bus = program.command('bus').description("Add and list a gateway's buses (RS-485 lines, Modbus TCP endpoints) in its desired config");

  addServerOptions(bus
    .command('add')
    .description("Add a bus to a gateway's desired config and wait until the gateway applied or rejected it")
    .requiredOption('--gateway <id>', 'gateway id')
    .requiredOption('--id <id>', 'bus id, e.g. rs485-1 or plant-room')
    .option('--tcp <host[:port]>', 'a Modbus TCP endpoint (port 502 unless given)')
    .option('--rtu <path>', 'a serial port on the gateway box, e.g. /dev/serial/by-id/...')
    .option('--baud <rate>', 'RTU baud rate (default 9600)')
    .option('--parity <parity>', 'RTU parity: none, even, odd (default even)')
    .option('--timeout <duration>', 'reply timeout, e.g. 500ms (default: RTU 500ms, TCP 1s)')
    .option('--wait <duration>', 'how long to wait for the gateway to apply it (at most 60s)', '30s')
    .option('--json', 'print the outcome as JSON'))
    .addHelpText('after', `
The first bus of a gateway creates its first desired config: it replaces the buses and devices
of the gateway's local gateway.yaml (none after fleet gateway enroll).
Example: fleet bus add --gateway depot-north --id plant-room --tcp 10.20.0.15
Exit codes: 0 applied, 1 the bus exists, 2 bad option, 7 server unreachable, 8 not allowed,
9 the gateway rejected it, 10 no answer within --wait (stays pending).`)
    .action(async (opts: AddOptions) => {
      const gateway = parseId(opts.gateway, '--gateway');
      const added = busFromOptions(opts);
      const wait = parseWait(opts.wait);
      const api = await apiClientFor(opts);
      // Read-modify-write of the whole config under If-Match: a change someone stored in between
      // is not overwritten (412); the bus is then added to that newer version instead.
      let reply: PushReply | undefined;
      for (let attempt = 1; reply === undefined; attempt++) {
        const current = await api.get<{ desired: { version: number; config: ManagedConfig } | null }>(`/gateways/${gateway}/config`);
        const config: ManagedConfig = current.desired?.config ?? { buses: [], devices: [], polling: {}, schedules: [] };
        if (config.buses.some((b) => b.id === added.id)) throw new CliError(`gateway ${gateway} already has a bus ${String(added.id)}`, EXIT.failure, 'fleet bus list --gateway ' + gateway);
        const ifMatch = { 'if-match': `"${current.desired?.version ?? 0}"` };
        reply = await pushAndWait(api, gateway, 'PUT', `/gateways/${gateway}/config`, { config: { ...config, buses: [...config.buses, added] } }, wait, `add bus ${String(added.id)}`, ifMatch)
          .catch((err: unknown) => {
            if (err instanceof ApiRefusal && err.code === 'VERSION_MISMATCH' && attempt < MAX_ATTEMPTS) return undefined;
            throw err;
          });
      }
      printResult({ gateway, bus: added, ...reply }, opts, () => `bus ${String(added.id)} added to gateway ${gateway}: config v${reply.desired.version} applied`);
    });

  addServerOptions(bus
    .command('list')
    .description("List the buses of a gateway's desired config")
    .requiredOption('--gateway <id>', 'gateway id')
    .option('--json', 'print JSON'))
    .addHelpText('after', '\nExit codes: 0 listed, 1 no such gateway, 7 server unreachable, 8 not logged in.')
    .action(async (opts: ServerCliOptions & { gateway: string; json?: boolean }) => {
      const gateway = parseId(opts.gateway, '--gateway');
      const current = await (await apiClientFor(opts)).get<{ desired: { config: ManagedConfig } | null }>(`/gateways/${gateway}/config`);
      const buses = current.desired?.config.buses ?? [];
      printListing(buses, opts, ['BUS', 'KIND', 'WHERE'], (b) => [String(b.id), String(b.kind), b.kind === 'tcp' ? `${String(b.host)}:${String(b.port)}` : `${String(b.path)} @ ${String(b.baud)} ${String(b.parity)}`],
        `no buses in gateway ${gateway}'s desired config`);
    });
}
