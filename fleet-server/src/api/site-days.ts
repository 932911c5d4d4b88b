// Where each site's "today" starts for GET /overview: the site's own local midnight (its
// `timezone`), so a control room watching sites in several zones sees each site's day, not the
// server's or the viewer's. An explicit `from` overrides it for every site (API users, reports).
import type { Site } from '../store/store-types.js';
import { knownZoneOr, startOfZonedDay } from '../time/zoned-day.js';

export interface SiteDays {
  /** Window start per site id. */
  bySite: Map<string, number>;
  /** The earliest of them (the span the totals cover); without sites, the start of the UTC day. */
  from: number;
}

const DAY_MS = 86_400_000;

// A site row stored before zones were checked falls back to UTC rather than failing every overview.
const siteMidnight = (now: number, timeZone: string): number => startOfZonedDay(now, knownZoneOr(timeZone));

/**
 * The start of each site's window ending at `now`. A `from` after now is taken as now, an empty
 * window rather than an error: a client whose clock runs a little ahead asks for "since my
 * midnight" just after midnight, and its overview must load.
 */
export function siteDays(sites: readonly Pick<Site, 'id' | 'timezone'>[], now: number, from?: number): SiteDays {
  const bySite = new Map<string, number>();
  for (const site of sites) bySite.set(site.id, Math.min(from ?? siteMidnight(now, site.timezone), now));
  const starts = [...bySite.values()];
  const earliest = starts.length > 0 ? Math.min(...starts) : Math.min(from ?? now - (now % DAY_MS), now);
  return { bySite, from: earliest };
}
