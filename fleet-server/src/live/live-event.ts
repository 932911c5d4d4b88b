import type { Role } from '../store/store-api-types.js';

/** The event names of GET /api/v1/events (docs/api.md "Live events"). */
export type LiveEventName = 'hello' | 'reset' | 'heartbeat' | 'alert' | 'gateway' | 'values' | 'command' | 'end';

/** A change to push, with what decides who may see it (the same rules as the API's reads). */
export interface LiveEvent {
  name: Exclude<LiveEventName, 'hello' | 'reset' | 'heartbeat' | 'end'>;
  /** The site the change belongs to: a manager sees it only for their sites. */
  site: string;
  /** 'operators': admins and engineers only (commands, like GET /commands/:id). */
  audience: 'any' | 'operators';
  data: unknown;
}

/** Who is behind a stream: fixed when it opens (the token is re-checked at every heartbeat). */
export interface LiveViewer {
  userId: string;
  tokenId: string;
  role: Role;
  sites: readonly string[];
}

/** Scope exactly as the API: managers their sites, admins and engineers every site. */
export function mayView(viewer: LiveViewer, event: LiveEvent): boolean {
  if (event.audience === 'operators' && viewer.role === 'manager') return false;
  return viewer.role !== 'manager' || viewer.sites.includes(event.site);
}

/**
 * One SSE frame (WHATWG HTML §9.2 "Server-sent events"): `id:` when given, `event:`, then one
 * `data:` line. JSON has no raw newlines (they are escaped inside strings), so one data line
 * always carries it.
 */
export function sseFrame(name: LiveEventName, data: unknown, id?: string): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * An event id: `<boot>-<seq>`. The seq counts the hub's events since it started; the boot marker
 * (random hex per hub) tells a restarted server's ids from the same numbers of the previous one.
 */
export function eventId(boot: string, seq: number): string {
  return `${boot}-${seq}`;
}

/** The parts of an id from `eventId`, or undefined for anything else (a client's garbage). */
export function parseEventId(id: string): { boot: string; seq: number } | undefined {
  const match = /^([0-9a-f]{1,32})-(\d{1,15})$/.exec(id);
  return match ? { boot: match[1]!, seq: Number(match[2]) } : undefined;
}

/** EventSource waits this long before reconnecting after the stream drops. */
export const SSE_RETRY = 'retry: 3000\n\n';
