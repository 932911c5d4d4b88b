import type { Command } from 'commander';
import { usageError } from '../cli-error.js';
import { paletteFor } from '../colour.js';
import { ago, printListing, printResult } from '../fleet-api/print.js';
import { addServerOptions, apiClientFor } from '../fleet-api/server-options.js';
import type { ServerCliOptions } from '../fleet-api/server-options.js';
import { parseId } from '../fleet-api/slug.js';

interface AlertRow {
  id: number;
  gateway: string;
  device: string;
  rule: string;
  state: string;
  severity: string;
  message: string;
  raisedAt: number;
}

interface ListOptions extends ServerCliOptions {
  open?: boolean;
  site?: string;
  limit: string;
  json?: boolean;
}

/** `fleet alerts [--open] [--site S]` and `fleet alerts ack ID`. */
export function registerAlertsCommands(program: Command): void {
  const alerts = addServerOptions(program
    .command('alerts')
    .description('List alerts, newest first; `fleet alerts ack ID` acknowledges one')
    .option('--open', 'only alerts not resolved yet')
    .option('--site <id>', 'only this site')
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'print JSON'))
    .addHelpText('after', '\nExample: fleet alerts --open --site depot-north\nExit codes: 0 listed, 1 no such site, 2 bad option, 7 server unreachable, 8 not logged in.')
    .action(async (opts: ListOptions) => {
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw usageError(`--limit must be a whole number 1..10000, got "${opts.limit}"`);
      const query = new URLSearchParams({ limit: String(limit) });
      if (opts.open === true) query.set('state', 'open');
      if (opts.site !== undefined) query.set('site', parseId(opts.site, '--site'));
      const { items } = await (await apiClientFor(opts)).get<{ items: AlertRow[] }>(`/alerts?${query.toString()}`);
      const c = paletteFor();
      const sev = (s: string): string => (s === 'critical' || s === 'major' ? c.red(s) : s === 'minor' ? c.yellow(s) : s);
      printListing(items, opts, ['ID', 'STATE', 'SEVERITY', 'GATEWAY/DEVICE', 'RULE', 'RAISED', 'MESSAGE'],
        (a) => [String(a.id), a.state, sev(a.severity), `${a.gateway}/${a.device}`, a.rule, ago(a.raisedAt), a.message], opts.open === true ? 'no open alerts' : 'no alerts');
    });

  addServerOptions(alerts
    .command('ack')
    .description('Acknowledge an alert: escalation stops, the next contacts are not texted')
    .argument('<id>', 'alert id (fleet alerts)')
    .option('--note <text>', 'a note for the audit log')
    .option('--json', 'print the alert as JSON'))
    .addHelpText('after', '\nExample: fleet alerts ack 17 --note "engineer on the way"\nExit codes: 0 acknowledged, 1 no such alert or already acknowledged/resolved, 2 bad id, 7 server unreachable, 8 not allowed.')
    .action(async (idText: string, opts: ServerCliOptions & { note?: string; json?: boolean }) => {
      if (!/^[1-9]\d*$/.test(idText)) throw usageError(`alert id must be a positive whole number, got "${idText}"`);
      const alert = await (await apiClientFor(opts)).post<AlertRow>(`/alerts/${idText}/ack`, opts.note === undefined ? {} : { note: opts.note });
      printResult(alert, opts, () => `alert ${alert.id} acknowledged (${alert.gateway}/${alert.device} ${alert.rule})`);
    });
}
