import type { FastifyInstance } from 'fastify';
import * as z from 'zod';
import { principalOf, siteScope } from './api-auth.js';
import type { ApiDeps } from './api-deps.js';
import { parseInput } from './api-error.js';
import { Instant } from './api-schemas.js';
import { DeviceHealthIndex, isDeviceDown } from './device-health.js';
import { OverviewTally } from './overview-figures.js';
import { siteDays } from './site-days.js';

const Query = z.strictObject({ from: Instant.optional() });

/**
 * GET /overview?from= — per visible site: gateways online/offline, devices down, open alerts by
 * severity, and the time to acknowledge and to resolve of the alerts acknowledged/resolved in
 * the site's today ([its local midnight, now)), or in [from, now) for every site when the
 * caller passes `from`. Five whole-fleet reads, whatever the number of gateways and devices. Any role.
 */
export function registerOverviewRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const { store } = deps;

  app.get('/overview', async (req) => {
    const query = parseInput(Query, req.query, 'query');
    const to = deps.now();
    const scope = siteScope(principalOf(req));
    const sites = (await store.listSites()).filter((s) => !scope || scope.includes(s.id));
    const days = siteDays(sites, to, query.from);
    const [gateways, devices, reports, open, responses] = await Promise.all([
      store.listGateways(), store.listSiteDevices(scope), store.listLatestHealth(scope),
      store.countOpenAlerts(scope), store.listAlertResponses({ sites: scope, from: days.from, to }),
    ]);
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
    // Each alert counts in its own site's window, in the site's figures and in the totals alike.
    for (const row of responses) {
      const from = days.bySite.get(row.site);
      if (from === undefined) continue;
      tallies.get(row.site)?.addResponse(row, from, to);
      total.addResponse(row, from, to);
    }
    return {
      from: days.from,
      to,
      sites: sites.map((s) => ({ id: s.id, name: s.name, timezone: s.timezone, from: days.bySite.get(s.id) ?? days.from, ...(tallies.get(s.id) ?? new OverviewTally()).figures() })),
      totals: total.figures(),
    };
  });
}
