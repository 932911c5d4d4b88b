// Which zone the alert history's days and times are in (docs/dashboard.md "Alert history"): a
// control room reads "today" as the site's day, as the overview does. No DOM here: unit-tested in node.
import { canonicalZone } from '../../../shared/zoned-day.js';
import type { Gateway, Site } from '../api/types.js';
import type { HistoryFilters } from './history-filters.js';
import { knownZoneOr } from './zoned-day.js';

/**
 * The site's zone when the filters narrow the history to one site (a site chosen, or a gateway,
 * which belongs to one), or the one zone every site the user may see shares; else the viewer's,
 * as no other day would be everyone's. A site the user may not see (its load fails) also gets
 * the viewer's. An unknown stored zone counts as UTC, as on the server (GET /overview).
 */
export function historyZone(f: Pick<HistoryFilters, 'site' | 'gateway'>, sites: readonly Site[], gateways: readonly Gateway[], viewerZone: string): string {
  const siteId = f.site ?? gateways.find((g) => g.id === f.gateway)?.site ?? null;
  const zoneOf = (s: Site): string => canonicalZone(knownZoneOr(s.timezone));
  if (siteId !== null) {
    const site = sites.find((s) => s.id === siteId);
    return site === undefined ? viewerZone : zoneOf(site);
  }
  const zones = new Set(sites.map(zoneOf));
  const [only] = zones;
  return zones.size === 1 && only !== undefined ? only : viewerZone;
}
