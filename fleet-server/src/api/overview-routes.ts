import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { principalOf, siteScope } from './api-auth.js';
import type { ApiDeps } from './api-deps.js';
import { parseInput } from './api-error.js';
import { Instant } from './api-schemas.js';
import { DeviceHealthIndex, isDeviceDown } from './device-health.js';
import { OverviewTally } from './overview-figures.js';

const DAY_MS = 86_400_000;
const Query = z.strictObject({ from: Instant.optional() });

/**
 * GET /overview?from= — per visible site: gateways online/offline, devices down, open alerts by
 * severity, and the time to acknowledge and to resolve of the alerts acknowledged/resolved in
 * [from, now). Five whole-fleet reads, whatever the number of gateways and devices. Any role.
 */
export function registerOverviewRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const { store } = deps;

  app.get('/overview', async (req) => {
    const query = parseInput(Query, req.query, 'query');
    const to = deps.now();
    // Default: today in UTC; the dashboard passes the viewer's local midnight.
    // A from after now is an empty window, not an error: a browser whose clock runs a little ahead
    // of the server's asks for "since my midnight" just after midnight, and its overview must load.
    const from = Math.min(query.from ?? to - (to % DAY_MS), to);
    const scope = siteScope(principalOf(req));
    const [allSites, gateways, devices, reports, open, responses] = await Promise.all([
      store.listSites(), store.listGateways(), store.listSiteDevices(scope), store.listLatestHealth(scope),
      store.countOpenAlerts(scope), store.listAlertResponses({ sites: scope, from, to }),
    ]);
    const sites = allSites.filter((s) => !scope || scope.includes(s.id));
    const tallies = new Map(sites.map((s) => [s.id, new OverviewTally()]));
    const total = new OverviewTally();
    const gatewaySite = new Map(gateways.map((g) => [g.id, g]));
    for (const g of gateways) {
      tallies.get(g.site)?.addGateway(g.status);
      if (tallies.has(g.site)) total.addGateway(g.status);
    }
    const health = new DeviceHealthIndex(reports);
    for (const d of devices) {
      const gateway = gatewaySite.get(d.gateway);
      const tally = gateway && tallies.get(gateway.site);
      if (!gateway || !tally) continue;
      const down = isDeviceDown(gateway.status, health.of(d.gateway, d.device).state);
      tally.addDevice(down);
      total.addDevice(down);
    }
    for (const row of open) {
      tallies.get(row.site)?.addOpen(row);
      if (tallies.has(row.site)) total.addOpen(row);
    }
    for (const row of responses) {
      tallies.get(row.site)?.addResponse(row, from, to);
      if (tallies.has(row.site)) total.addResponse(row, from, to);
    }
    return {
      from,
      to,
      sites: sites.map((s) => ({ id: s.id, name: s.name, timezone: s.timezone, ...(tallies.get(s.id) ?? new OverviewTally()).figures() })),
      totals: total.figures(),
    };
  });
}
