import type { Command } from 'commander';
import { paletteFor } from '../colour.js';
import { ago, printListing } from '../fleet-api/print.js';
import { addServerOptions, apiClientFor } from '../fleet-api/server-options.js';
import type { ServerCliOptions } from '../fleet-api/server-options.js';
import { parseId } from '../fleet-api/slug.js';

/** GET /gateways items with their `summary` (docs/api.md "Gateways and devices"). */
interface GatewayRow {
  id: string;
  site: string;
  name: string;
  status: string;
  lastSeenAt: number | null;
  summary: {
    health: null | { outboxDepth: number; devicesOffline: string[] };
    config: { desiredVersion: number | null; reportedVersion: number; inSync: boolean | null };
  };
}

interface AlertRow {
  gateway: string;
}

export interface GatewayStatusLine {
  gateway: string;
  site: string;
  status: string;
  lastSeenAt: number | null;
  /** Events + telemetry waiting in the gateway's outbox, from its last health message; null without one. */
  outboxDepth: number | null;
  /** Ids the last health message says offline, sorted; null without one. */
  devicesDown: string[] | null;
  openAlerts: number;
  config: string;
}

/** `fleet status` — one line per gateway: online, outbox depth, devices down, open alerts, config sync. */
export function registerStatusCommand(program: Command): void {
  addServerOptions(program
    .command('status')
    .description('Fleet overview: gateways online/offline, outbox depth, devices down, open alerts, config in sync')
    .option('--site <id>', 'only this site')
    .option('--json', 'print JSON'))
    .addHelpText('after', '\nOutbox depth and devices down come from each gateway\'s last health message.\nExit codes: 0 printed, 1 no such site, 7 server unreachable, 8 not logged in.')
    .action(async (opts: ServerCliOptions & { site?: string; json?: boolean }) => {
      const site = opts.site === undefined ? undefined : parseId(opts.site, '--site');
      const api = await apiClientFor(opts);
      const siteQuery = site === undefined ? '' : `site=${site}`;
      const [gateways, alerts] = await Promise.all([
        api.get<{ items: GatewayRow[] }>(`/gateways${siteQuery === '' ? '' : `?${siteQuery}`}`),
        api.get<{ items: AlertRow[] }>(`/alerts?state=open&limit=10000${siteQuery === '' ? '' : `&${siteQuery}`}`),
      ]);
      // The list's summary carries everything a line needs: one request however many gateways.
      const openAlerts = new Map<string, number>();
      for (const a of alerts.items) openAlerts.set(a.gateway, (openAlerts.get(a.gateway) ?? 0) + 1);
      const lines: GatewayStatusLine[] = gateways.items.map(({ summary: { health, config }, ...g }) => ({
        gateway: g.id, site: g.site, status: g.status, lastSeenAt: g.lastSeenAt,
        outboxDepth: health ? health.outboxDepth : null,
        devicesDown: health ? health.devicesOffline : null,
        openAlerts: openAlerts.get(g.id) ?? 0,
        config: config.desiredVersion === null ? `v${config.reportedVersion} (local)` : `v${config.reportedVersion}/${config.desiredVersion}${config.inSync === true ? '' : ' pending'}`,
      }));
      const c = paletteFor();
      printListing(lines, opts, ['GATEWAY', 'SITE', 'STATUS', 'LAST SEEN', 'OUTBOX', 'DEVICES DOWN', 'OPEN ALERTS', 'CONFIG'], (l) => [
        l.gateway, l.site, l.status === 'online' ? c.green(l.status) : c.red(l.status), ago(l.lastSeenAt),
        l.outboxDepth === null ? '-' : String(l.outboxDepth),
        l.devicesDown === null ? '-' : l.devicesDown.length === 0 ? '0' : c.red(`${l.devicesDown.length} (${l.devicesDown.join(', ')})`),
        l.openAlerts === 0 ? '0' : c.yellow(String(l.openAlerts)), l.config,
      ], 'no gateways');
    });
}
