// #/sites/:site — the site's devices by family with their latest values, updated live from
// values, gateway, alert and command events (also those arriving while it loads); reloaded once
// after the stream reconnects, and when a device it does not list reports values (added later).
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from '../../api/client.js';
import type { Alert, Family, Me, Profile, Site, SiteDevice, SiteDevices } from '../../api/types.js';
import { deviceAlerts, emptyBoard, loadBoard, type BoardState } from '../../lib/alert-board.js';
import { coalesce } from '../../lib/coalesce.js';
import { FinishedCommands } from '../../lib/command-result.js';
import { applySiteEvent, isSiteEvent, unknownDevice } from '../../lib/site-events.js';
import { knownZoneOr } from '../../lib/zoned-day.js';
import { useLiveEvents, useReconnect } from '../../live/hooks.js';
import { useLoad } from '../use-load.js';
import { Cabinet, type CommandOutcome } from './cabinet.js';
import { CarPark } from './car-park.js';
import { deviceTitle } from './device-card.js';
import { Elevator } from './elevator.js';
import { PointFormat } from './point-format.js';
import { OtherDevice } from './other-device.js';
import { Water } from './water.js';

interface SiteData {
  site: Site;
  devices: SiteDevice[];
  profiles: Map<string, Profile>;
  alerts: BoardState;
}

async function loadSite(siteId: string): Promise<SiteData> {
  const [res, alerts] = await Promise.all([
    api<SiteDevices>(`/sites/${encodeURIComponent(siteId)}/devices`),
    api<{ items: Alert[] }>(`/alerts?state=open&site=${encodeURIComponent(siteId)}&limit=1000`),
  ]);
  const site = typeof res.site === 'string' ? await api<Site>(`/sites/${encodeURIComponent(siteId)}`) : res.site;
  const ids = [...new Set(res.items.flatMap((d) => (d.profile === null ? [] : [d.profile])))];
  const profiles = new Map<string, Profile>();
  // A profile the server does not know leaves raw values; it does not break the page.
  await Promise.all(ids.map((id) => api<Profile>(`/profiles/${encodeURIComponent(id)}`).then((p) => profiles.set(id, p), () => undefined)));
  const byName = (a: SiteDevice, b: SiteDevice): number => deviceTitle(a).localeCompare(deviceTitle(b));
  return { site, devices: [...res.items].sort(byName), profiles, alerts: loadBoard(emptyBoard, alerts.items) };
}

const SECTIONS: { family: Family; title: string; empty: string }[] = [
  { family: 'elevator', title: 'Elevators', empty: 'No elevators at this site.' },
  { family: 'parking', title: 'Car park', empty: 'No car-park controllers at this site.' },
  { family: 'water-meter', title: 'Water', empty: 'No water meters at this site.' },
  { family: 'signal-cabinet', title: 'Signal cabinets', empty: 'No signal cabinets at this site.' },
];

export function SiteView({ site, me }: { site: string; me: Me }) {
  const loaded = useLoad(() => loadSite(site), [site], { accepts: (e) => isSiteEvent(site, e), apply: applySiteEvent });
  // One reload per device the list lacks, coalesced: a device that keeps reporting but is never
  // listed (not one this user may see in the list) must not reload the site every second.
  const reloadDevices = useMemo(() => coalesce(() => loaded.reload(), 1000), []);
  const asked = useRef(new Set<string>());
  const finished = useRef(new FinishedCommands()).current;
  useEffect(() => () => reloadDevices.cancel(), []);
  const [reloadKey, setReloadKey] = useState(0);
  const [outcomes, setOutcomes] = useState<Map<string, CommandOutcome>>(new Map());
  const data = loaded.data;
  const fmt = useMemo(() => new PointFormat(data?.profiles ?? new Map()), [data?.profiles]);
  const canCommand = me.user.role !== 'manager';

  useReconnect(() => {
    void loaded.reload();
    setReloadKey((k) => k + 1);
  });
  useLiveEvents((e) => {
    if (e.data.site !== site) return;
    if (e.type === 'values') {
      const key = data === null ? null : unknownDevice(data.devices, e);
      if (key !== null && !asked.current.has(key)) {
        asked.current.add(key);
        reloadDevices.request();
      }
    } else if (e.type === 'command') {
      const cmd = e.data.command;
      finished.add(cmd);
      const key = `${cmd.gateway}/${cmd.device}`;
      setOutcomes((m) => {
        const current = m.get(key);
        return current?.id === cmd.id ? new Map(m).set(key, finished.settle(current)) : m;
      });
    }
  });

  if (loaded.error !== null && data === null) {
    return (
      <>
        <h1>Site {site}</h1>
        <p role="alert">Could not load the site: {loaded.error}</p>
      </>
    );
  }
  if (data === null) return <p role="status">Loading…</p>;

  const known = new Set(SECTIONS.map((s) => s.family));
  const others = data.devices.filter((d) => d.family === null || !known.has(d.family));
  return (
    <>
      <h1>{data.site.name}</h1>
      {loaded.error !== null && <p role="alert">Could not refresh: {loaded.error}</p>}
      {SECTIONS.map((s) => {
        const devices = data.devices.filter((d) => d.family === s.family);
        const id = `section-${s.family}`;
        return (
          <section key={s.family} class="site-section" aria-labelledby={id}>
            <h2 id={id}>{s.title}</h2>
            {devices.length === 0 ? (
              <p class="muted">{s.empty}</p>
            ) : (
              <div class="devices">
                {devices.map((d) => {
                  const key = `${d.gateway}/${d.device}`;
                  const alerts = deviceAlerts(data.alerts.open, d.gateway, d.device);
                  switch (s.family) {
                    case 'elevator':
                      return <Elevator key={key} device={d} fmt={fmt} alerts={alerts} />;
                    case 'parking':
                      return <CarPark key={key} device={d} fmt={fmt} alerts={alerts} reloadKey={reloadKey} timeZone={knownZoneOr(data.site.timezone)} />;
                    case 'water-meter':
                      return <Water key={key} device={d} fmt={fmt} alerts={alerts} reloadKey={reloadKey} timeZone={knownZoneOr(data.site.timezone)} />;
                    case 'signal-cabinet':
                      return (
                        <Cabinet key={key} device={d} fmt={fmt} alerts={alerts} canCommand={canCommand} outcome={outcomes.get(key)} setOutcome={(o) => setOutcomes((m) => new Map(m).set(key, finished.settle(o)))} />
                      );
                  }
                })}
              </div>
            )}
          </section>
        );
      })}
      {others.length > 0 && (
        <section class="site-section" aria-labelledby="section-other">
          <h2 id="section-other">Other devices</h2>
          <div class="devices">
            {others.map((d) => (
              <OtherDevice key={`${d.gateway}/${d.device}`} device={d} fmt={fmt} alerts={deviceAlerts(data.alerts.open, d.gateway, d.device)} />
            ))}
          </div>
        </section>
      )}
    </>
  );
}
