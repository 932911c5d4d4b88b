import type { GatewayEvent, GatewayStatus } from '@edgefleet/protocol';
import { composeAlertSms } from '../notify/index.js';
import type { Store } from '../store/store.js';
import type { Alert, AlertKey, Contact } from '../store/store-types.js';
import type { EscalationPolicy } from './escalation-policy.js';
import { alertChangeOf, type AlertChange } from './event-alerts.js';
import { DEFAULT_FLAPPING_POLICY, isFlapping, pruneChanges, type FlappingPolicy } from './flapping.js';
import { planNotifications } from './plan-notifications.js';
import { collectServerState } from './server-state.js';
import { collectThresholdSamples, isThresholdRule, ThresholdRules } from './threshold-rules.js';
import type { ThresholdRule } from './threshold-rules.js';
import {
  DEFAULT_SERVER_RULES, evaluateServerRules, GATEWAY_DEVICE, RULE_GATEWAY_SILENT, RULE_STALE_DATA, type ServerRulesConfig,
} from './server-rules.js';

type MaybePromise<T> = T | Promise<T>;

export interface AlertEngineOptions {
  readonly store: Store;
  readonly now: () => number;
  readonly policyFor: (siteId: string) => MaybePromise<EscalationPolicy>;
  readonly contactsFor: (siteId: string) => MaybePromise<readonly Contact[]>;
  readonly siteOf: (gatewayId: string) => MaybePromise<string | undefined>;
  /** The one-tap acknowledgement link for this alert and message. */
  readonly ackUrlFor: (alertId: number, notificationKey: string) => string;
  /** The code for an "ACK <code>" SMS reply; absent when the provider delivers no replies. */
  readonly ackReplyCodeFor?: (alertId: number) => string;
  readonly flapping?: FlappingPolicy;
  readonly serverRules?: ServerRulesConfig;
  /** server.yaml alerts.thresholds. */
  readonly thresholds?: readonly ThresholdRule[];
}

const SERVER_RULES = new Set([RULE_GATEWAY_SILENT, RULE_STALE_DATA]);
const keyText = (k: AlertKey): string => `${k.gateway}\u0000${k.device}\u0000${k.rule}`;

/**
 * Turns gateway events, gateway status and server rules into alerts, and alerts into queued
 * notifications. Calls are serialised so a tick never races an event batch. Flapping history and
 * the last applied change per key live in memory: a restart forgets them (the store keeps alerts).
 */
export class AlertEngine {
  private readonly flappingPolicy: FlappingPolicy;
  private readonly rules: ServerRulesConfig;
  private readonly thresholds: ThresholdRules;
  private readonly changes = new Map<string, number[]>();
  private readonly lastChange = new Map<string, { at: number; kind: AlertChange['kind'] }>();
  /** Keys enqueued per open alert, so a tick does not rewrite them; dropped when the alert is acked or resolved. */
  private readonly enqueued = new Map<number, Set<string>>();
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: AlertEngineOptions) {
    this.flappingPolicy = options.flapping ?? DEFAULT_FLAPPING_POLICY;
    this.rules = options.serverRules ?? DEFAULT_SERVER_RULES;
    this.thresholds = new ThresholdRules(options.thresholds ?? []);
  }

  /** Events in seq order, ideally only those the store had not seen (replays older than the last change are ignored). */
  handleEvents(gatewayId: string, events: readonly GatewayEvent[]): Promise<void> {
    return this.serial(async () => {
      for (const event of events) {
        const change = alertChangeOf(gatewayId, event);
        if (change && this.acceptChange(change)) await this.apply(change);
      }
    });
  }

  /** Records the status (so tick agrees) and raises or resolves gateway-silent. */
  handleStatus(gatewayId: string, status: GatewayStatus): Promise<void> {
    return this.serial(async () => {
      await this.options.store.setGatewayStatus(gatewayId, status.state, status.ts);
      const key = { gateway: gatewayId, device: GATEWAY_DEVICE, rule: RULE_GATEWAY_SILENT };
      const at = this.options.now();
      await this.apply(status.state === 'offline'
        ? { kind: 'raise', key, severity: 'major', message: `Gateway silent: reported offline${status.reason ? ` (${status.reason})` : ''}`, at }
        : { kind: 'clear', key, at });
    });
  }

  /** Server rules, then escalation and repeats for every open alert; rejects with an AggregateError naming the alerts that failed. */
  tick(): Promise<void> {
    return this.serial(async () => {
      const { store, now } = this.options;
      const at = now();
      const server = await collectServerState(store, this.rules, this.thresholds.rules.length > 0);
      const thresholds = this.thresholds.evaluate(await collectThresholdSamples(store, this.thresholds.rules, server.latest), at);
      const active = [...evaluateServerRules(server.state, at), ...thresholds.active];
      const activeKeys = new Set(active.map((c) => keyText(c.key)));
      // A threshold whose value is unknown now (comm-fail) neither clears nor raises.
      const unknown = new Set(thresholds.hold.map(keyText));
      for (const condition of active) await this.apply({ kind: 'raise', ...condition, at });
      // A silent gateway sends no telemetry either: its stale-data alerts stay open, not cleared.
      const silent = new Set(active.filter((c) => c.key.rule === RULE_GATEWAY_SILENT).map((c) => c.key.gateway));
      for (const alert of await store.listOpenAlerts()) {
        const stillStale = alert.rule === RULE_STALE_DATA && silent.has(alert.gateway);
        const serverRule = SERVER_RULES.has(alert.rule) || isThresholdRule(alert.rule);
        if (serverRule && !activeKeys.has(keyText(alert)) && !stillStale && !unknown.has(keyText(alert))) await this.apply({ kind: 'clear', key: alert, at });
      }
      // One site's broken policy or contact list must not hold back every other site's alarms.
      const failures: unknown[] = [];
      for (const alert of await store.listOpenAlerts()) {
        await this.notify(alert).catch((error: unknown) => failures.push(new Error(`alert ${alert.id}: ${String(error)}`, { cause: error })));
      }
      if (failures.length > 0) throw new AggregateError(failures, `alert tick: ${failures.length} alert(s) could not be notified`);
    });
  }

  /** Idempotent: an alert already acknowledged or resolved is returned unchanged and not audited again. */
  acknowledge(alertId: number, by: string): Promise<Alert> {
    return this.serial(() => this.closeByHand(alertId, 'acknowledged', by));
  }

  /** Idempotent on a resolved alert; an unknown id throws StoreError STORE_NOT_FOUND. */
  resolve(alertId: number, by: string): Promise<Alert> {
    return this.serial(() => this.closeByHand(alertId, 'resolved', by));
  }

  private async closeByHand(alertId: number, to: 'acknowledged' | 'resolved', by: string): Promise<Alert> {
    const { store, now } = this.options;
    const at = now();
    // A second tap on the ack link (or an ack after the fault cleared) is not an error: nothing changes.
    const current = await store.getAlert(alertId);
    if (current && (current.state === 'resolved' || (to === 'acknowledged' && current.state === 'acknowledged'))) return current;
    const alert = await store.transitionAlert(alertId, to, at, by);
    this.enqueued.delete(alertId);
    const action = to === 'acknowledged' ? 'alert.acknowledge' : 'alert.resolve';
    await store.appendAudit({ at, actor: by, action, target: `alert:${alertId}`, details: { rule: alert.rule, device: alert.device } });
    return alert;
  }

  /** Drops replays: a change older than the last one applied for the key, or a repeat of it. */
  private acceptChange(change: AlertChange): boolean {
    const id = keyText(change.key);
    const last = this.lastChange.get(id);
    if (last && (change.at < last.at || (change.at === last.at && change.kind === last.kind))) return false;
    this.lastChange.set(id, { at: change.at, kind: change.kind });
    const history = [...(this.changes.get(id) ?? []), change.at];
    this.changes.set(id, pruneChanges(history, change.at, this.flappingPolicy));
    return true;
  }

  private async apply(change: AlertChange): Promise<void> {
    const { store, now } = this.options;
    if (change.kind === 'clear') {
      const open = (await store.listOpenAlerts(change.key.gateway)).find((a) => keyText(a) === keyText(change.key));
      if (!open) return;
      const at = now();
      await store.transitionAlert(open.id, 'resolved', at);
      this.enqueued.delete(open.id);
      await store.appendAudit({ at, actor: 'system', action: 'alert.resolve', target: `alert:${open.id}`, details: { reason: 'cleared' } });
      return;
    }
    // Escalation runs on the server clock: raisedAt is when the server learned of the fault.
    const { alert, created } = await store.openAlert(change.key, { severity: change.severity, message: change.message, at: now() });
    if (created) await this.notify(alert);
  }

  private async notify(alert: Alert): Promise<void> {
    const options = this.options;
    const { store } = options;
    const now = options.now();
    const siteId = await options.siteOf(alert.gateway);
    if (siteId === undefined) return;
    const [policy, contacts] = await Promise.all([options.policyFor(siteId), options.contactsFor(siteId)]);
    // Changes carry gateway time, which may run ahead of ours: judge at the later of the two.
    const changes = this.changes.get(keyText(alert)) ?? [];
    const flapping = isFlapping(changes, Math.max(now, ...changes), this.flappingPolicy);
    const enqueuedKeys = this.enqueued.get(alert.id) ?? new Set<string>();
    const planned = planNotifications(alert, policy, contacts, now, { flapping, enqueuedKeys });
    if (planned.length === 0) return;
    const site = await store.getSite(siteId);
    const device = await store.getDevice(alert.gateway, alert.device);
    for (const p of planned) {
      const sms = composeAlertSms({
        site: site?.name ?? siteId, device: device?.name ?? alert.device, fault: alert.message,
        at: new Date(alert.raisedAt), timeZone: site?.timezone ?? 'UTC', ackUrl: options.ackUrlFor(alert.id, p.key),
        ...(options.ackReplyCodeFor ? { replyCode: options.ackReplyCodeFor(alert.id) } : {}),
      });
      await store.enqueueNotification({ key: p.key, alertId: alert.id, recipient: p.contact.phone, body: sms.text, notBefore: now, createdAt: now });
      enqueuedKeys.add(p.key);
      this.enqueued.set(alert.id, enqueuedKeys);
    }
    if (alert.state === 'raised') await store.transitionAlert(alert.id, 'notified', now);
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task, task);
    this.chain = run.catch(() => undefined);
    return run;
  }
}
