// Hash routes (docs/dashboard.md "Views"). Pure: parses a location hash into a route.

export type Route =
  | { view: 'overview' }
  | { view: 'alerts' }
  /** query: the hash's query part ("site=x&range=7d"), only when there is one. */
  | { view: 'alert-history'; query?: string }
  | { view: 'gateways' }
  | { view: 'gateway'; gateway: string }
  | { view: 'sites' }
  | { view: 'site'; site: string }
  | { view: 'device'; gateway: string; device: string }
  | { view: 'not-found'; hash: string };

/** decodeURIComponent throws on a malformed escape ("#/sites/%"): such a hash is no page, not a crash. */
function decodePart(p: string): string | null {
  try {
    return decodeURIComponent(p);
  } catch {
    return null;
  }
}

/**
 * "#/alerts/history?site=x&range=7d": the query (after the first "?") belongs to the view, the
 * path to the router. Ids in paths are encoded (href.*), so a "?" inside one arrives as %3F and
 * never splits here. Only the history view takes a query; elsewhere one is still no page.
 */
export function parseRoute(hash: string): Route {
  const bare = hash.replace(/^#/, '');
  const mark = bare.indexOf('?');
  if (mark === -1) return parsePath(bare, hash);
  const route = parsePath(bare.slice(0, mark), hash);
  if (route.view !== 'alert-history') return { view: 'not-found', hash };
  const query = bare.slice(mark + 1);
  return query === '' ? route : { view: 'alert-history', query };
}

function parsePath(bare: string, hash: string): Route {
  const path = bare.replace(/\/+$/, '');
  const decoded = path.split('/').filter((p) => p !== '').map(decodePart);
  const parts = decoded.filter((p): p is string => p !== null);
  if (parts.length !== decoded.length) return { view: 'not-found', hash };
  const [first, a, b] = parts;
  if (parts.length === 0 || (first === 'overview' && parts.length === 1)) return { view: 'overview' };
  if (first === 'alerts' && parts.length === 1) return { view: 'alerts' };
  if (first === 'alerts' && a === 'history' && parts.length === 2) return { view: 'alert-history' };
  if (first === 'gateways' && parts.length === 1) return { view: 'gateways' };
  if (first === 'gateways' && a !== undefined && parts.length === 2) return { view: 'gateway', gateway: a };
  if (first === 'sites' && parts.length === 1) return { view: 'sites' };
  if (first === 'sites' && a !== undefined && parts.length === 2) return { view: 'site', site: a };
  if (first === 'devices' && a !== undefined && b !== undefined && parts.length === 3) return { view: 'device', gateway: a, device: b };
  return { view: 'not-found', hash };
}

export const href = {
  overview: '#/overview',
  alerts: '#/alerts',
  alertHistory: '#/alerts/history',
  gateways: '#/gateways',
  gateway: (gateway: string) => `#/gateways/${encodeURIComponent(gateway)}`,
  sites: '#/sites',
  site: (site: string) => `#/sites/${encodeURIComponent(site)}`,
  device: (gateway: string, device: string) => `#/devices/${encodeURIComponent(gateway)}/${encodeURIComponent(device)}`,
};
