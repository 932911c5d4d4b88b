// "Site › gateway" breadcrumb for the device view: the gateway's site, linked.
import { api } from '../../api/client.js';
import type { Gateway as GatewayData } from '../../api/types.js';
import { href } from '../../lib/router.js';
import { useLoad } from '../use-load.js';

export function Gateway({ gateway }: { gateway: string }) {
  const g = useLoad(() => api<GatewayData>(`/gateways/${encodeURIComponent(gateway)}`), [gateway]);
  if (g.data === null) return <span>{gateway}</span>;
  return (
    <span>
      <a href={href.site(g.data.site)}>Site {g.data.site}</a> › gateway {gateway} ({g.data.status})
    </span>
  );
}
