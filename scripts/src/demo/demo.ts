import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ADMIN_TOKEN_FILE, startServer, type RunningServer } from '@edgefleet/fleet-server';
import { SimSite, type SiteEndpoint } from '@edgefleet/firmware-sim';
import { CliError, EXIT } from '../cli/cli-error.js';
import { ApiClient } from '../cli/fleet-api/api-client.js';
import { loadProfileRegistry } from '../sim/profile-registry.js';
import { AlertWatch } from './alert-watch.js';
import { DEMO_CONTACTS, DEMO_DEVICES, DEMO_GATEWAY, DEMO_SITE, demoServerConfig, demoSiteConfig, ESCALATE_AFTER_MS, hasSocat } from './demo-setup.js';
import { createDashboardUser, dashboardLine } from './demo-dashboard.js';
import { claimPort, portInUse } from './demo-ports.js';
import { FleetSteps } from './fleet-steps.js';
import { startGatewayChild } from './gateway-child.js';
import { AUTO_ACK_DEVICE, runScenario, SCENARIO_FIRST_DEVICE } from './scenario.js';
import { startSmsSink, type DemoSms } from './sms-sink.js';

export interface DemoOptions {
  /** 0 = a free port (printed). */
  mqttPort: number;
  httpPort: number;
  /** The server's data directory (must be empty); default a temp dir removed at exit. */
  dataDir?: string;
  /** Stop by itself after this long (default: until Ctrl-C / SIGTERM). */
  durationMs?: number;
}

/** The scripted entrapment starts this long after the demo (issue 5: "after ~15 s"). */
const ENTRAPMENT_AFTER_MS = 15_000;
const GATEWAY = DEMO_GATEWAY;
const DEVICES = DEMO_DEVICES;

class Stopped extends Error {}

/**
 * `npm start` (fleet demo): the whole chain on one machine. A fleet server (SQLite in a data
 * directory, SMS through its webhook provider to a local sink that prints them), a simulated
 * site, and a gateway provisioned, enrolled and configured with the same `fleet` commands a user
 * types, running as its own `fleet gateway` process; then a scripted scenario. Ctrl-C stops
 * every process it started.
 */
export async function runDemo(opts: DemoOptions): Promise<void> {
  const t0 = Date.now();
  // Bound now: while a fleet command runs in-process its stdout is captured (fleet-steps.ts), and
  // scenario lines printed meanwhile must not land in its output.
  const stdout = process.stdout.write.bind(process.stdout);
  const print = (line: string): void => void stdout(`${line}\n`);
  const event = (line: string): void => print(`[+${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${line}`);
  let stopRequested = false;
  let wake = (): void => undefined;
  const stopSignal = new Promise<void>((resolve) => (wake = resolve));
  // Installed until the very end: a second Ctrl-C during cleanup must not kill the demo
  // before it has stopped its children.
  const smsHandler = { onSms: (_sms: DemoSms): void => undefined };
  const onSignal = (): void => {
    if (stopRequested) print('(still stopping: waiting for the gateway to flush and exit)');
    stopRequested = true;
    // Nothing of the shutdown itself is news: in a terminal the gateway got the same Ctrl-C, and
    // its offline status would be texted as "gateway silent".
    smsHandler.onSms = () => undefined;
    wake();
  };
  // SIGHUP too: a closed terminal must not orphan the gateway, which sits in its own process group.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) process.on(s, onSignal);
  const checkStop = (): void => {
    if (stopRequested) throw new Stopped();
  };
  const cleanups: { what: string; run: () => Promise<void> }[] = [];
  // --duration counts from the start, provisioning included, and stops like a Ctrl-C.
  const limit = opts.durationMs === undefined ? undefined : setTimeout(onSignal, opts.durationMs);
  try {
    const mqttPort = opts.mqttPort === 0 ? 0 : await claimPort('127.0.0.1', opts.mqttPort, '--mqtt-port');
    const httpPort = await claimPort('127.0.0.1', opts.httpPort, '--http-port');
    const dataDir = await prepareDataDir(opts.dataDir);
    if (opts.dataDir === undefined) cleanups.push({ what: `removed ${dataDir}`, run: () => rm(dataDir, { recursive: true, force: true }) });

    const sink = await startSmsSink((sms) => smsHandler.onSms(sms));
    cleanups.push({ what: 'sms sink', run: () => sink.close() });
    const server = await startFleetServer(demoServerConfig({ dataDir, mqttPort, httpPort, sms: sink }));
    cleanups.push({ what: 'fleet server', run: () => server.stop() });
    const api = `http://127.0.0.1:${server.httpPort}`;
    const token = (await readFile(path.join(dataDir, ADMIN_TOKEN_FILE), 'utf8')).trim();
    const dashboard = await createDashboardUser(api, token);

    const rtu = hasSocat();
    const registry = loadProfileRegistry([]);
    const site = await SimSite.start(demoSiteConfig(rtu), { profile: (id) => registry.get(id) });
    cleanups.push({ what: rtu ? 'simulated site (and its socat PTY pair)' : 'simulated site', run: () => site.stop() });
    const endpoints = new Map(site.endpoints().map((e) => [e.transport, e]));

    print(`EdgeFleet demo — ${DEMO_SITE.name}`);
    print(`  fleet server API   ${api}/api/v1   (admin token in ${path.join(dataDir, ADMIN_TOKEN_FILE)})`);
    print(dashboardLine(dashboard));
    print(`  MQTT broker        mqtt://127.0.0.1:${server.brokerPort}`);
    print(`  data directory     ${dataDir}${opts.dataDir === undefined ? ' (removed at exit)' : ''}`);
    for (const e of endpoints.values()) {
      print(`  simulated ${e.transport.padEnd(8)} ${e.kind === 'tcp' ? `modbus tcp ${e.host}:${e.port}` : `modbus rtu ${e.masterPath ?? e.path} @ ${e.baud} baud (socat PTY)`}`);
    }
    if (!rtu) print('  (socat not found: the elevators answer on Modbus TCP instead of an RS-485 PTY line)');
    print(`  SMS                printed below as the server's webhook provider sends them; escalation after ${ESCALATE_AFTER_MS / 1000} s`);
    print(`Provisioning through the fleet CLI (each command runs with --server ${api} --token <admin token>):`);
    checkStop();

    const fleet = new FleetSteps({ server: api, token, print });
    for (const c of DEMO_CONTACTS) {
      await fleet.show(['contact', 'add', '--site', DEMO_SITE.id, '--name', c.name, '--phone', c.phone, '--role', c.role, '--order', String(c.order)]);
    }
    const provisioned = JSON.parse(await fleet.run(['gateway', 'provision', '--site', DEMO_SITE.id, '--name', GATEWAY.name, '--id', GATEWAY.id, '--json'])) as { token: string; expiresAt: number };
    print(`  gateway ${GATEWAY.id} provisioned; one-time enrollment token ${provisioned.token.slice(0, 10)}…`);
    const gatewayDir = path.join(dataDir, 'gateway-box');
    const configFile = path.join(gatewayDir, 'gateway.yaml');
    await fleet.show(['gateway', 'enroll', '--server', api, '--token', provisioned.token, '--config', configFile], {
      auth: false, show: `gateway enroll --server ${api} --token ${provisioned.token.slice(0, 10)}… --config ${configFile}`,
    });
    checkStop();
    print(`$ fleet gateway --config ${configFile} &`);
    const gateway = startGatewayChild(configFile, event);
    cleanups.push({ what: `gateway (pid ${gateway.pid})`, run: () => gateway.stop() });
    print(`  gateway process pid ${gateway.pid}`);

    const watch = new AlertWatch(new ApiClient(api, token), event);
    watch.start();
    cleanups.push({ what: 'alert watch', run: () => watch.stop() });
    const taps: NodeJS.Timeout[] = [];
    if (!stopRequested) smsHandler.onSms = (sms) => printSms(sms, { print, event, taps });
    let cancelScenario = (): void => undefined;
    let scenarioTimer: NodeJS.Timeout | undefined;
    cleanups.push({
      what: 'scenario',
      run: async () => {
        // First thing at Ctrl-C: the gateway's own shutdown would otherwise print a "gateway silent" text.
        smsHandler.onSms = () => undefined;
        clearTimeout(scenarioTimer);
        cancelScenario();
        taps.forEach(clearTimeout);
      },
    });

    // The lifts first: the scenario starts once lift A is polled, while the rest are still added
    // (each config change waits ~4 s for the gateway to show its devices still answer).
    for (const step of provisioningOrder(endpoints)) {
      if (step.kind === 'bus') {
        const e = step.endpoint;
        const where = e.kind === 'tcp' ? ['--tcp', `${e.host}:${e.port}`] : ['--rtu', e.masterPath ?? e.path, '--baud', String(e.baud), '--parity', e.parity];
        await configStep(fleet, ['bus', 'add', '--gateway', GATEWAY.id, '--id', e.transport, ...where], print, () => stopRequested);
      } else {
        const d = step.device;
        await configStep(fleet, ['device', 'add', '--gateway', GATEWAY.id, '--bus', d.bus, '--unit', String(d.unit), '--profile', d.profile, '--name', d.name, '--id', d.id], print, () => stopRequested);
        if (d.id === SCENARIO_FIRST_DEVICE) {
          const startIn = Math.max(0, ENTRAPMENT_AFTER_MS - (Date.now() - t0));
          event(`lift A is polled; the scenario starts in ${(startIn / 1000).toFixed(0)} s. Ctrl-C stops the demo.`);
          scenarioTimer = setTimeout(() => (cancelScenario = runScenario(site, event)), startIn);
        }
      }
      checkStop();
    }
    event(`site ready: ${DEVICES.length} devices polled by gateway ${GATEWAY.id}`);

    await stopSignal;
  } catch (err) {
    // After a stop request, a failing step is the stop's doing (a gateway gone mid-change).
    if (!(err instanceof Stopped) && !stopRequested) throw err;
  } finally {
    clearTimeout(limit);
    if (cleanups.length > 0) print('Stopping…');
    const stopped: string[] = [];
    for (const step of cleanups.reverse()) {
      await step.run().then(() => stopped.push(step.what), (err: unknown) => print(`!! stopping ${step.what} failed: ${(err as Error).message}`));
    }
    if (stopped.length > 0) print(`stopped: ${stopped.filter((w) => !/^(alert watch|scripted taps|scenario|sms sink)$/.test(w)).join(', ')}`);
    for (const s of signals) process.off(s, onSignal);
  }
}

/**
 * A bus or device add with a 10 s wait rather than the default 30 s: Ctrl-C waits for the step in
 * flight. A gateway slower than that leaves the version pending (it applies it when it can, and
 * the next change builds on it), which is no reason to end the demo.
 */
async function configStep(fleet: FleetSteps, args: string[], print: (line: string) => void, stopping: () => boolean): Promise<void> {
  try {
    await fleet.show([...args, '--wait', '10s']);
  } catch (err) {
    if (!(err instanceof CliError && err.exitCode === EXIT.pending) || stopping()) throw err;
    print('  not applied within 10s; it stays pending and the gateway applies it when it gets there');
  }
}

type ProvisioningStep = { kind: 'bus'; endpoint: SiteEndpoint } | { kind: 'device'; device: (typeof DEVICES)[number] };

/** Each bus just before its first device, in DEVICES order. */
function provisioningOrder(endpoints: ReadonlyMap<string, SiteEndpoint>): ProvisioningStep[] {
  const steps: ProvisioningStep[] = [];
  const added = new Set<string>();
  for (const device of DEVICES) {
    const endpoint = endpoints.get(device.bus);
    if (endpoint === undefined) throw new Error(`demo: the simulated site has no transport ${device.bus}`);
    if (!added.has(device.bus)) steps.push({ kind: 'bus', endpoint });
    added.add(device.bus);
    steps.push({ kind: 'device', device });
  }
  return steps;
}

/** Prints a text as the phone would show it, with the curl that acknowledges it; taps the water meter's link. */
function printSms(sms: DemoSms, o: { print: (line: string) => void; event: (line: string) => void; taps: NodeJS.Timeout[] }): void {
  const who = DEMO_CONTACTS.find((c) => c.phone === sms.to);
  o.event(`SMS → ${who ? `${who.name} (${who.role}) ` : ''}${sms.to}: ${sms.body}`);
  if (sms.ackLink === undefined) return;
  o.print(`          acknowledge it: curl ${sms.ackLink}`);
  const autoAck = DEVICES.find((d) => d.id === AUTO_ACK_DEVICE);
  if (autoAck && (sms.body.includes(autoAck.id) || sms.body.includes(autoAck.name))) {
    const link = sms.ackLink;
    o.taps.push(setTimeout(() => void tapLink(link, who?.name ?? sms.to, o.event), 3_000));
  }
}

/** An empty (or new) directory for the server; the demo refuses to mix with an existing fleet's data. */
async function prepareDataDir(dir: string | undefined): Promise<string> {
  if (dir === undefined) return mkdtemp(path.join(os.tmpdir(), 'edgefleet-demo-'));
  const abs = path.resolve(dir);
  await mkdir(abs, { recursive: true });
  if ((await readdir(abs)).length > 0) throw new CliError(`--data-dir ${abs} is not empty`, EXIT.usage, 'the demo provisions a fresh site and gateway: give it a new or empty directory');
  return abs;
}

async function startFleetServer(config: Parameters<typeof startServer>[0]): Promise<RunningServer> {
  try {
    return await startServer(config);
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { port?: number };
    if (e.code !== 'EADDRINUSE') throw err;
    // Taken between the check and the start (or the HTTP port by a fast neighbour).
    const port = e.port ?? config.broker.port;
    throw portInUse(port, port === config.http.port ? '--http-port' : '--mqtt-port');
  }
}

/** The demo plays the caretaker tapping the link in the text: a plain GET, like a phone's browser. */
async function tapLink(link: string, who: string, event: (line: string) => void): Promise<void> {
  try {
    const res = await fetch(link);
    event(`** ${who} taps the link in the water meter text: GET ${link} → ${res.status}`);
  } catch (err) {
    event(`!! tapping ${link} failed: ${(err as Error).message}`);
  }

}
