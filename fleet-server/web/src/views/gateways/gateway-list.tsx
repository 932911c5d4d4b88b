// #/gateways: every gateway the user may see (GET /gateways: the API scopes a manager to their
// sites), grouped by site with a site filter, problems first. One list call, whose summary gives
// each gateway's devices (and those down), outbox and whether it runs its desired config; the
// desired config itself (and a rejection's reason) needs a request per gateway, so it is on the
// gateway page.
// `gateway` events change a row's status without a reload; one for a gateway not listed (added
// after the load) reloads the list once.
import { useState } from 'preact/hooks';
import { api } from '../../api/client.js';
import type { GatewayRow } from '../../api/gateway-types.js';
import type { GatewayEvent, Me, Site } from '../../api/types.js';
import { applyGatewayEvent, gatewayStatusText, pendingConfigText, runningConfigText, groupBySite, groupSummary, summaryDevicesText, summaryOutboxText, type SiteGroup } from '../../lib/gateways.js';
import { href } from '../../lib/router.js';
import { useLiveEvents, useReconnect } from '../../live/hooks.js';
import { useLoad } from '../use-load.js';
import { LastSeen } from './last-seen.js';

interface ListData {
  gateways: GatewayRow[];
  sites: Site[];
}

const ALL = '';

export function GatewayList({ me }: { me: Me }) {
  const [filter, setFilter] = useState(ALL);
  const showConfig = me.user.role !== 'manager';
  const loaded = useLoad<ListData>(
    async () => {
      const [gateways, sites] = await Promise.all([api<{ items: GatewayRow[] }>('/gateways'), api<{ items: Site[] }>('/sites')]);
      return { gateways: gateways.items, sites: sites.items };
    },
    [],
    {
      accepts: (e) => e.type === 'gateway',
      apply: (data, e) => ({ ...data, gateways: applyGatewayEvent(data.gateways, e.data as GatewayEvent) }),
    },
  );
  useReconnect(() => void loaded.reload());
  useLiveEvents((e) => {
    const data = loaded.data;
    if (e.type === 'gateway' && data !== null && !data.gateways.some((g) => g.id === e.data.gateway)) void loaded.reload();
  });

  const groups = loaded.data === null ? [] : groupBySite(loaded.data.gateways, loaded.data.sites);
  const shown = groups.filter((g) => filter === ALL || g.site === filter);
  return (
    <>
      <h1>Gateways</h1>
      {loaded.error !== null && <p role="alert">Could not load the gateways: {loaded.error}</p>}
      {loaded.data === null ? (
        loaded.error === null && <p role="status">Loading…</p>
      ) : groups.length === 0 ? (
        <p>No gateways.</p>
      ) : (
        <>
          {groups.length > 1 && (
            <div class="controls">
              <label>
                Site
                <select value={filter} onChange={(e) => setFilter(e.currentTarget.value)}>
                  <option value={ALL}>All sites</option>
                  {groups.map((g) => (
                    <option key={g.site} value={g.site}>
                      {g.name}
                    </option>
                  ))}
                </select>
              </label>
            </div>
          )}
          {shown.map((g) => (
            <SiteGateways key={g.site} group={g} showConfig={showConfig} />
          ))}
        </>
      )}
    </>
  );
}

function SiteGateways({ group, showConfig }: { group: SiteGroup; showConfig: boolean }) {
  const headingId = `gw-site-${group.site}`;
  return (
    <section class="site-section" aria-labelledby={headingId}>
      <h2 id={headingId}>
        <a href={href.site(group.site)}>{group.name}</a>
      </h2>
      <p class="summary">{groupSummary(group)}</p>
      <ul class="gateways" aria-label={`Gateways of ${group.name}`}>
        {group.gateways.map((g) => (
          <li key={g.id}>
            <GatewayCard gateway={g} showConfig={showConfig} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function GatewayCard({ gateway, showConfig }: { gateway: GatewayRow; showConfig: boolean }) {
  const titleId = `gw-${gateway.id}-title`;
  return (
    <article class={`gateway gw-${gateway.status}`} aria-labelledby={titleId}>
      <header>
        <h3 id={titleId}>
          <a href={href.gateway(gateway.id)}>{gateway.name}</a>
        </h3>
        <span class={`gw-status gw-status-${gateway.status}`}>{gatewayStatusText(gateway.status)}</span>
      </header>
      <dl class="facts">
        {gateway.name !== gateway.id && (
          <div>
            <dt>Id</dt>
            <dd>{gateway.id}</dd>
          </div>
        )}
        <div>
          <dt>Last seen</dt>
          <dd>
            <LastSeen status={gateway.status} at={gateway.lastSeenAt} />
          </dd>
        </div>
        {gateway.summary !== undefined && (
          <>
            <div class={gateway.summary.devicesDown > 0 ? 'warn' : ''}>
              <dt>Devices</dt>
              <dd>{summaryDevicesText(gateway.summary)}</dd>
            </div>
            <div class={(gateway.summary.health?.outboxDepth ?? 0) > 0 ? 'warn' : ''}>
              <dt>Outbox</dt>
              <dd>{summaryOutboxText(gateway.summary.health)}</dd>
            </div>
          </>
        )}
        {showConfig && (
          <div class={gateway.summary?.config.inSync === false ? 'warn' : ''}>
            <dt>Config running</dt>
            <dd>
              {runningConfigText(gateway.configVersion)}
              {pendingConfigText(gateway.summary?.config)}
            </dd>
          </div>
        )}
      </dl>
    </article>
  );
}
