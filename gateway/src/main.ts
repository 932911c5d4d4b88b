import { readFileSync } from 'node:fs';
import { durationMs, type ProfileRegistry } from '@edgefleet/device-profiles';
import type { GatewayHealth } from '@edgefleet/protocol';
import { pino, type Logger } from 'pino';
import { CommandRunner } from './commands/command-runner.js';
import type { GatewayConfig } from './config/gateway-config.js';
import { AppliedConfigStore } from './config-sync/applied-config-store.js';
import { ConfigApplier } from './config-sync/config-applier.js';
import { Downlink } from './downlink/downlink.js';
import { openOutbox } from './outbox/open-outbox.js';
import type { SqliteOutbox } from './outbox/sqlite-outbox.js';
import { JsonFileLimitsStore } from './poller/limits-store.js';
import { JsonFileActiveAlarmsStore } from './alarms/active-alarms-store.js';
import { HealthReporter } from './runtime/health-report.js';
import { LatestValues } from './runtime/latest-values.js';
import { GatewayRuntime } from './runtime/managed-runtime.js';
import { Schedules } from './runtime/schedules.js';
import { Uplink } from './uplink/uplink.js';

export const GATEWAY_VERSION = '0.1.0';

export interface StartOptions {
  registry: ProfileRegistry;
  logger?: Logger;
  now?: () => number;
  /** How long a config change is watched before it counts as applied (rollback window). */
  settleMs?: number;
}

export interface RunningGateway {
  readonly id: string;
  readonly outbox: SqliteOutbox;
  readonly uplink: Uplink;
  readonly runtime: GatewayRuntime;
  readonly downlink: Downlink;
  health(): GatewayHealth;
  configVersion(): number;
  /** Stops polling, flushes the outbox, publishes status offline, closes ports. */
  stop(): Promise<void>;
}

/**
 * The gateway's composition root (ARCHITECTURE.md): builds every part from the validated,
 * frozen config and hands each its dependencies. Nothing below reads process.env or globals.
 */
export async function startGateway(config: GatewayConfig, opts: StartOptions): Promise<RunningGateway> {
  const now = opts.now ?? Date.now;
  const logger = (opts.logger ?? pino({ level: config.log.level })).child({ gateway: config.gateway.id });
  const outbox = openOutbox({
    path: config.outbox.path,
    maxBytes: config.outbox.maxBytes,
    maxAgeMs: config.outbox.maxAgeMs,
    now,
    logger: logger.child({ part: 'outbox' }),
    onNotice: (code, details) => {
      outbox.enqueueEvents([{ type: 'notice', ts: now(), level: code === 'OUTBOX_PRESSURE' ? 'warn' : 'error', code, message: code, details }]);
    },
  });

  // The last config the server pushed wins over gateway.yaml's, so the box boots without the server.
  const store = new AppliedConfigStore(config.dataDir);
  const stored = store.load();
  if (stored.problem) logger.warn({ problem: stored.problem }, 'ignoring the stored applied config; using gateway.yaml');
  const initial = stored.desired ? { version: stored.desired.version, config: stored.desired.config } : { version: 0, config: config.managed };

  const latest = new LatestValues();
  const runtime = new GatewayRuntime({
    logger,
    sinks: {
      telemetry: (readings) => {
        latest.update(readings);
        outbox.enqueueTelemetry(readings);
      },
      events: (events) => void outbox.enqueueEvents(events),
    },
    profile: (id) => opts.registry.get(id),
    limitsStore: new JsonFileLimitsStore(config.dataDir),
    alarmStore: new JsonFileActiveAlarmsStore(config.dataDir),
  });
  const schedules = new Schedules(
    {
      snapshot: (schedule, devices, points) => {
        const ts = now();
        const events = (devices ?? latest.devices()).map((device) => ({ type: 'snapshot' as const, ts, schedule, device, values: latest.values(device, points) }));
        if (events.length > 0) outbox.enqueueEvents(events);
      },
      outboxMaintenance: () => void outbox.maintenance(),
    },
    logger.child({ part: 'schedules' }),
  );
  await runtime.apply(initial.config);
  schedules.apply(initial.config.schedules);

  const settleMs = opts.settleMs ?? settleWindow(initial.config.polling);
  const applier = new ConfigApplier(
    {
      runtime: {
        apply: async (managed) => {
          await runtime.apply(managed);
          schedules.apply(managed.schedules);
        },
        onlineDevices: () => runtime.onlineDevices(),
      },
      registry: opts.registry,
      persist: (desired) => store.save(desired),
      settle: (signal) => settleFor(settleMs, signal),
    },
    initial,
  );
  const commands = new CommandRunner({
    target: (id) => runtime.current()?.commandTarget(id),
    run: (id, fn) => {
      const poller = runtime.current();
      return poller ? poller.runOnDevice(id, fn) : Promise.reject(new Error('the gateway is not polling'));
    },
    now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    parseDuration: durationMs,
  });

  const link: { uplink?: Uplink } = {};
  const downlink = new Downlink({
    outbox,
    logger: logger.child({ part: 'downlink' }),
    now,
    initialConfig: { version: initial.version },
    reportConfig: (status) => link.uplink?.setConfigStatus(status),
    onDesiredConfig: async (desired) => {
      const outcome = await applier.apply(desired);
      if (outcome.applied) return { applied: true };
      if ('interrupted' in outcome) return { applied: false, reason: outcome.reason, interrupted: true };
      if (outcome.rolledBack) {
        outbox.enqueueEvents([{ type: 'notice', ts: now(), level: 'error', code: 'CONFIG_ROLLED_BACK', message: outcome.reason, details: { version: outcome.version } }]);
      }
      return { applied: false, reason: outcome.reason };
    },
    onCommand: async (cmd) => {
      const result = await commands.execute(cmd);
      return { id: cmd.id, device: cmd.device, ts: now(), ...result };
    },
  });

  const credentials = config.uplink.credentials;
  const tls = config.uplink.tls;
  const uplink = new Uplink(
    {
      gatewayId: config.gateway.id,
      outbox,
      logger: logger.child({ part: 'uplink' }),
      softwareVersion: GATEWAY_VERSION,
      now,
      configStatus: { version: initial.version },
      onDownlink: (channel, payload) => downlink.handle(channel, payload),
    },
    {
      url: config.uplink.url,
      clientId: config.uplink.clientId,
      ...(credentials ? { username: credentials.username, password: credentials.password } : {}),
      ...(tls ? { tls: { ...(tls.ca ? { ca: readFileSync(tls.ca) } : {}), ...(tls.cert ? { cert: readFileSync(tls.cert) } : {}), ...(tls.key ? { key: readFileSync(tls.key) } : {}) } } : {}),
      keepaliveS: config.uplink.keepaliveSeconds,
    },
  );
  const reporter = new HealthReporter({
    gatewayId: config.gateway.id,
    outbox: () => outbox.stats(),
    buses: () => runtime.current()?.busHealth() ?? [],
    devices: () => runtime.current()?.deviceHealth() ?? [],
    configVersion: () => applier.version(),
    now,
  });
  link.uplink = uplink;
  uplink.start();
  const healthTimer = setInterval(() => {
    outbox.enforceBounds(now());
    uplink.publishHealth(reporter.build());
  }, config.health.intervalMs);

  let stopping: Promise<void> | undefined;
  return {
    id: config.gateway.id,
    outbox,
    uplink,
    runtime,
    downlink,
    health: () => reporter.build(),
    configVersion: () => applier.version(),
    stop: () =>
      (stopping ??= (async () => {
        clearInterval(healthTimer);
        // A config apply in flight would otherwise outlive the stop: its settle timer keeps the
        // process up for seconds, then, with the poller gone, every device looks lost and the
        // "rollback" reopens ports and restarts polling after the gateway stopped (the process
        // never exits). Interrupt it, and wait for it to end before tearing down.
        applier.stop();
        await downlink.configIdle();
        schedules.stop();
        await runtime.stop();
        outbox.flush();
        await uplink.stop();
        outbox.close();
        logger.info('gateway stopped');
      })()),
  };
}

/** The post-apply watch; ends early (resolves) when the gateway stops, clearing its timer. */
function settleFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Long enough for offlineAfter failed fast polls to show a device lost by a config change. */
function settleWindow(polling: { fast: string; offlineAfter: number }): number {
  return Math.max(3_000, (polling.offlineAfter + 1) * durationMs(polling.fast));
}
