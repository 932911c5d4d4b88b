// Overview: one section per site with its aggregate numbers from GET /overview (one request,
// whatever the fleet's size). Alert and gateway events re-fetch it, at most once a second and
// never overlapping: an event during a fetch gets one more fetch after it (lib/coalesce.ts).
// "Today" is each site's own day: the server counts from the site's midnight in its zone (no
// `from` is passed), and the page fetches again once a site's new day has begun.
import { useEffect, useMemo, useRef } from 'preact/hooks';
import { api } from '../api/client.js';
import type { DurationStats, Overview as OverviewData, SiteOverview } from '../api/types.js';
import { coalesce } from '../lib/coalesce.js';
import { formatDuration, gatewayCounts, SEVERITIES } from '../lib/format.js';
import { href } from '../lib/router.js';
import { knownZoneOr, startOfZonedDay, todayIn } from '../lib/zoned-day.js';
import { useLiveEvents, useMinute, useReconnect } from '../live/hooks.js';
import { useLoad } from './use-load.js';

let marked = false;

export function Overview() {
  const loaded = useLoad(() => api<OverviewData>('/overview'), []);
  const refetch = useMemo(() => coalesce(() => loaded.reload(), 1000), []);
  useEffect(() => () => refetch.cancel(), []);
  useLiveEvents((e) => {
    if (e.type === 'alert' || e.type === 'gateway') refetch.request();
  });
  useReconnect(() => refetch.request());

  const data = loaded.data;
  const minute = useMinute();
  useEffect(() => {
    if (data?.sites.some((s) => startOfZonedDay(minute, knownZoneOr(s.timezone)) > s.from)) refetch.request();
  }, [minute]);
  const rendered = useRef(false);
  useEffect(() => {
    if (data === null || rendered.current) return;
    rendered.current = true;
    if (!marked) {
      marked = true;
      performance.mark('cockpit:overview-rendered');
    }
  }, [data]);

  return (
    <>
      <h1>Overview</h1>
      {loaded.error !== null && <p role="alert">Could not load the overview: {loaded.error}</p>}
      {data === null ? (
        loaded.error === null && <p role="status">Loading…</p>
      ) : data.sites.length === 0 ? (
        <p>No sites yet.</p>
      ) : (
        <div class="cards">
          {data.sites.map((s) => (
            <SiteCard key={s.id} site={s} />
          ))}
        </div>
      )}
    </>
  );
}

function SiteCard({ site }: { site: SiteOverview }) {
  const headingId = `site-${site.id}`;
  const open = site.alerts.open;
  return (
    <section class="card site-card" aria-labelledby={headingId}>
      <h2 id={headingId}>
        <a href={href.site(site.id)}>{site.name}</a>
      </h2>
      <dl class="stats">
        <div class={site.gateways.offline > 0 ? 'bad' : ''}>
          <dt>Gateways</dt>
          <dd>{gatewayCounts(site.gateways)}</dd>
        </div>
        <div class={site.devices.down > 0 ? 'bad' : ''}>
          <dt>Devices down</dt>
          <dd>
            {site.devices.down} of {site.devices.total}
          </dd>
        </div>
        <div>
          <dt>Open alerts</dt>
          <dd>
            <ul class="sev-counts">
              {SEVERITIES.map((sev) => (
                <li key={sev} class={`sev sev-${sev}${open[sev] === 0 ? ' zero' : ''}`}>
                  {open[sev]} {sev}
                </li>
              ))}
            </ul>
            {site.alerts.unacknowledged > 0 && <span class="unacked">{site.alerts.unacknowledged} not acknowledged</span>}
          </dd>
        </div>
        <DurationRow label={`Time to acknowledge ${todayIn(knownZoneOr(site.timezone))}`} stats={site.timeToAck} />
        <DurationRow label={`Time to resolve ${todayIn(knownZoneOr(site.timezone))}`} stats={site.timeToResolve} />
      </dl>
    </section>
  );
}

function DurationRow({ label, stats }: { label: string; stats: DurationStats }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>
        median {formatDuration(stats.medianMs)}, worst {formatDuration(stats.worstMs)}
        <span class="count"> ({stats.count} {stats.count === 1 ? 'alert' : 'alerts'})</span>
      </dd>
    </div>
  );
}
