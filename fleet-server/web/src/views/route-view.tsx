// Picks the view for the route. The site and device views (and the charts they use) are
// loaded on demand so the first load stays small.
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Me } from '../api/types.js';
import type { Route } from '../lib/router.js';
import { AlertBoard } from './alert-board.js';
import { Overview } from './overview.js';
import { SiteList } from './site-list.js';

interface SiteProps {
  site: string;
  me: Me;
}
interface DeviceProps {
  gateway: string;
  device: string;
}

function useLazy<P>(load: () => Promise<ComponentType<P>>): ComponentType<P> | null | Error {
  const [comp, setComp] = useState<ComponentType<P> | null | Error>(null);
  useEffect(() => {
    let live = true;
    load().then(
      (c) => live && setComp(() => c),
      (err: unknown) => live && setComp(err instanceof Error ? err : new Error(String(err))),
    );
    return () => {
      live = false;
    };
  }, []);
  return comp;
}

function Lazy<P extends object>({ load, props }: { load: () => Promise<ComponentType<P>>; props: P }) {
  const Comp = useLazy(load);
  if (Comp === null) return <p role="status">Loading…</p>;
  if (Comp instanceof Error) return <p role="alert">Could not load this view: {Comp.message}</p>;
  return <Comp {...props} />;
}

interface GatewayProps {
  gateway: string;
  me: Me;
}

const loadSite = (): Promise<ComponentType<SiteProps>> => import('./site/site-view.js').then((m) => m.SiteView);
const loadGateways = (): Promise<ComponentType<{ me: Me }>> => import('./gateways/gateway-list.js').then((m) => m.GatewayList);
const loadGateway = (): Promise<ComponentType<GatewayProps>> => import('./gateways/gateway-view.js').then((m) => m.GatewayView);
const loadAlertHistory = (): Promise<ComponentType<{ me: Me; query: string }>> => import('./alert-history/alert-history.js').then((m) => m.AlertHistory);
const loadDevice = (): Promise<ComponentType<DeviceProps>> => import('./device/device-view.js').then((m) => m.DeviceView);

export function RouteView({ route, me }: { route: Route; me: Me }) {
  switch (route.view) {
    case 'overview':
      return <Overview />;
    case 'alerts':
      return <AlertBoard />;
    case 'alert-history':
      return <Lazy key="alert-history" load={loadAlertHistory} props={{ me, query: route.query ?? '' }} />;
    case 'gateways':
      return <Lazy key="gateways" load={loadGateways} props={{ me }} />;
    case 'gateway':
      return <Lazy key={`gw:${route.gateway}`} load={loadGateway} props={{ gateway: route.gateway, me }} />;
    case 'sites':
      return <SiteList />;
    case 'site':
      return <Lazy key={`site:${route.site}`} load={loadSite} props={{ site: route.site, me }} />;
    case 'device':
      return <Lazy key={`dev:${route.gateway}/${route.device}`} load={loadDevice} props={{ gateway: route.gateway, device: route.device }} />;
    case 'not-found':
      return (
        <>
          <h1>Not found</h1>
          <p>
            There is no page at <code>{route.hash}</code>. <a href="#/overview">Go to the overview</a>.
          </p>
        </>
      );
  }
}
