import type { Command } from 'commander';
import { usageError } from '../cli-error.js';
import { ago, printListing, printResult } from '../fleet-api/print.js';
import { addServerOptions, apiClientFor } from '../fleet-api/server-options.js';
import type { ServerCliOptions } from '../fleet-api/server-options.js';
import { parseId } from '../fleet-api/slug.js';
import { renderQr } from '../fleet-api/terminal-qr.js';
import { registerEnrollCommand } from './gateway-enroll.js';

interface ProvisionOptions extends ServerCliOptions {
  site: string;
  name: string;
  id?: string;
  ttl?: string;
  replace?: boolean;
  qr?: boolean;
  json?: boolean;
}

interface Provisioned {
  token: string;
  gatewayId: string;
  site: string;
  name: string;
  expiresAt: number;
}

interface GatewayRow {
  id: string;
  site: string;
  name: string;
  status: string;
  lastSeenAt: number | null;
  configVersion: number | null;
}

/** `fleet gateway provision|enroll|list`: a gateway's identity comes from the server, never typed by hand. */
export function registerGatewayFleetCommands(gateway: Command): void {
  addServerOptions(gateway
    .command('provision')
    .description('Ask the fleet server for a one-time enrollment token for a new gateway box')
    .requiredOption('--site <id>', 'site the gateway belongs to')
    .requiredOption('--name <name>', 'name for people, e.g. "Depot North"')
    .option('--id <id>', 'gateway id (default: the name as a slug)')
    .option('--ttl <duration>', 'how long the token works, e.g. 30m, 24h (default 1h, at most 168h)')
    .option('--replace', 're-key an existing gateway (a replaced box); the old secret stops working at enrollment')
    .option('--qr', 'also print the enroll command as a QR code')
    .option('--json', 'print JSON'))
    .addHelpText('after', '\nExample: fleet gateway provision --site depot-north --name "Depot North" --ttl 24h --qr\nExit codes: 0 provisioned, 1 the gateway exists (see --replace), 2 bad option, 7 server unreachable, 8 not allowed.')
    .action(async (opts: ProvisionOptions) => {
      if (opts.ttl !== undefined && !/^\d+(\.\d+)?(ms|s|m|h)$/.test(opts.ttl)) throw usageError(`--ttl must be a duration such as 30m or 24h, got "${opts.ttl}"`);
      const api = await apiClientFor(opts);
      const p = await api.post<Provisioned>('/gateways/provision', {
        site: parseId(opts.site, '--site'), name: opts.name,
        ...(opts.id === undefined ? {} : { id: parseId(opts.id, '--id') }),
        ...(opts.ttl === undefined ? {} : { ttl: opts.ttl }), ...(opts.replace === true ? { replace: true } : {}),
      });
      const enrollCommand = `fleet gateway enroll --server ${api.server} --token ${p.token}`;
      printResult({ ...p, enrollCommand }, opts, () => [
        `gateway ${p.gatewayId} (site ${p.site}) provisioned; its enrollment token works once, until ${new Date(p.expiresAt).toISOString()}:`,
        `  ${p.token}`,
        'On the gateway box, run:',
        `  ${enrollCommand}`,
      ].join('\n'));
      if (opts.qr === true) {
        // With --json the QR goes to stderr, so stdout stays one JSON document.
        const out = opts.json === true ? process.stderr : process.stdout;
        out.write(`\n${renderQr(enrollCommand, { ansi: out.isTTY === true && !process.env.NO_COLOR })}`);
      }
    });

  registerEnrollCommand(gateway);

  addServerOptions(gateway
    .command('list')
    .description('List gateways: status, last seen, applied config version')
    .option('--site <id>', 'only this site')
    .option('--json', 'print JSON'))
    .addHelpText('after', '\nExit codes: 0 listed, 1 no such site, 7 server unreachable, 8 not logged in.')
    .action(async (opts: ServerCliOptions & { site?: string; json?: boolean }) => {
      const query = opts.site === undefined ? '' : `?site=${parseId(opts.site, '--site')}`;
      const { items } = await (await apiClientFor(opts)).get<{ items: GatewayRow[] }>(`/gateways${query}`);
      printListing(items, opts, ['GATEWAY', 'SITE', 'NAME', 'STATUS', 'LAST SEEN', 'CONFIG'],
        (g) => [g.id, g.site, g.name, g.status, ago(g.lastSeenAt), g.configVersion === null ? '-' : `v${g.configVersion}`], 'no gateways');
    });
}
