import type { Command } from 'commander';
import { CliError, EXIT, usageError } from '../cli-error.js';
import { parseWait } from '../fleet-api/config-push.js';
import { printResult } from '../fleet-api/print.js';
import { addServerOptions, apiClientFor } from '../fleet-api/server-options.js';
import type { ServerCliOptions } from '../fleet-api/server-options.js';
import { parseId } from '../fleet-api/slug.js';
import { startSpinner } from '../fleet-api/spinner.js';

interface SendOptions extends ServerCliOptions {
  gateway?: string;
  device: string;
  command: string;
  param: string[];
  ttl?: string;
  wait: string;
  json?: boolean;
}

interface StoredCommand {
  id: string;
  state: string;
  result: { status: string; reason?: string; readBack?: Record<string, unknown> } | null;
}

/** "k=v": numbers and true/false become JSON values, everything else stays a string. */
export function parseParam(text: string): [string, number | boolean | string] {
  const eq = text.indexOf('=');
  const key = eq > 0 ? text.slice(0, eq) : '';
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(key)) throw usageError(`--param must be key=value with a slug key, got "${text}"`);
  const raw = text.slice(eq + 1);
  if (raw === 'true' || raw === 'false') return [key, raw === 'true'];
  if (raw !== '' && /^-?\d+(\.\d+)?$/.test(raw)) return [key, Number(raw)];
  return [key, raw];
}

const waitMs = (wait: string): number => Number(/^\d+/.exec(wait)?.[0]) * (wait.endsWith('ms') ? 1 : wait.endsWith('m') ? 60_000 : 1000);

/** `fleet cmd send` — a profile command to a device; waits for the gateway's result. */
export function registerCmdCommands(program: Command): void {
  const cmd = program.command('cmd').description('Send commands to devices through their gateway');
  addServerOptions(cmd
    .command('send')
    .description("Send a device command (from its profile) and wait for the gateway's result")
    .requiredOption('--device <id>', 'device id, or GATEWAY/DEVICE')
    .option('--gateway <id>', 'gateway of the device (or write --device GATEWAY/DEVICE)')
    .requiredOption('--command <id>', 'command id from the device profile (fleet profile show <profile>)')
    .option('--param <key=value>', 'a command parameter; repeat for more', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--ttl <duration>', 'how long the gateway may still run it, e.g. 30s (default 30s)')
    .option('--wait <duration>', "how long to wait for the gateway's result (at most 60s)", '30s')
    .option('--json', 'print the command and its result as JSON'))
    .addHelpText('after', `
Example: fleet cmd send --device junction-4/cabinet --command set-flash --param on=true
Exit codes: 0 done (status ok), 2 bad option or the profile refuses it, 7 server unreachable, 8 not allowed,
9 the gateway reports rejected/failed/expired/not-confirmed, 10 no result within --wait or unanswered.`)
    .action(async (opts: SendOptions) => {
      const [gatewayPart, devicePart] = opts.device.includes('/') ? opts.device.split('/', 2) : [opts.gateway, opts.device];
      if (gatewayPart === undefined) throw usageError('which gateway? give --gateway or --device GATEWAY/DEVICE');
      const gateway = parseId(gatewayPart, '--gateway');
      const device = parseId(devicePart ?? '', '--device');
      const wait = parseWait(opts.wait);
      const params = Object.fromEntries(opts.param.map(parseParam));
      const api = await apiClientFor(opts);
      const spinner = startSpinner(`${opts.command} on ${gateway}/${device}: waiting for the result`);
      let command: StoredCommand;
      try {
        command = (await api.request<StoredCommand>('POST', `/gateways/${gateway}/commands?wait=${wait}`, {
          device, command: opts.command, params, ...(opts.ttl === undefined ? {} : { ttl: opts.ttl }),
        }, { waitMs: waitMs(wait), accept: [202] })).body;
      } finally {
        spinner.stop();
      }
      if (command.result === null) {
        // 'unanswered': the server gave up on it (expired, no result); a late result may still come.
        const what = command.state === 'unanswered' ? 'unanswered: the gateway did not report back before it expired' : `no result within ${wait}; it stays pending`;
        throw new CliError(`command ${command.id} ${what}`, EXIT.pending, `is gateway ${gateway} online? fleet status`);
      }
      const { status, reason, readBack } = command.result;
      if (status !== 'ok') throw new CliError(`command ${command.id} ${status} on ${gateway}/${device}${reason === undefined ? '' : `: ${reason}`}`, EXIT.rejected);
      printResult(command, opts, () => `command ${command.id} ok on ${gateway}/${device}${readBack ? `; read back ${Object.entries(readBack).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}` : ''}`);
    });
}
