import type { Severity } from '@edgefleet/protocol';
import type { GatewayConfigState } from './store-api-types.js';
import type { AlertState, Device, StoredHealth } from './store-types.js';

/** How many open alerts of one site have one severity and state. */
export interface OpenAlertCount {
  site: string;
  severity: Severity;
  state: Exclude<AlertState, 'resolved'>;
  count: number;
}

/** An alert acknowledged or resolved in the asked window, with its times (for time to ack/resolve). */
export interface AlertResponse {
  id: number;
  site: string;
  raisedAt: number;
  acknowledgedAt: number | null;
  resolvedAt: number | null;
}

/** A gateway's config sync: the newest desired version (null: none stored) and what it reported running. */
export interface GatewayConfigSync {
  gateway: string;
  desiredVersion: number | null;
  reported: GatewayConfigState;
}

/** Sites to read: undefined = every site; an empty list matches nothing. */
export type SiteFilter = readonly string[] | undefined;

/**
 * Whole-site reads for the dashboard and the CLI (GET /overview, GET /sites/:id/devices,
 * GET /gateways): one query each instead of one per gateway or device, so a page of 500
 * devices or a city's fleet status stays cheap on PostgreSQL too.
 */
export interface ReadModelStore {
  /** Registered devices of every gateway of the sites, ordered by gateway, then device. */
  listSiteDevices(sites: SiteFilter): Promise<Device[]>;
  /** The newest health report of every gateway of the sites that has sent one, ordered by gateway. */
  listLatestHealth(sites: SiteFilter): Promise<StoredHealth[]>;
  /**
   * Every gateway of the sites with its newest desired config version and its reported config
   * state, ordered by gateway: one statement, so both sides of "in sync" are read at one moment.
   */
  listConfigSync(sites: SiteFilter): Promise<GatewayConfigSync[]>;
  /** Open (raised, notified, acknowledged) alerts of the sites, counted per site, severity and state. */
  countOpenAlerts(sites: SiteFilter): Promise<OpenAlertCount[]>;
  /** Alerts of the sites with from <= acknowledgedAt < to or from <= resolvedAt < to, ordered by id. */
  listAlertResponses(query: { sites: SiteFilter; from: number; to: number }): Promise<AlertResponse[]>;
}
