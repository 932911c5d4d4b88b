import type { Logger } from 'pino';
import { DEFAULT_RETRY_POLICY, MAX_REPLY_CHARS, decideRetry } from '../notify/index.js';
import type { RetryPolicy, SendResult, SmsProvider } from '../notify/index.js';
import { StoreError } from '../store/index.js';
import type { Notification, NotificationAttempt, Store } from '../store/index.js';
import { checkRateLimit, pruneHistory, validateRateLimit } from './rate-limit.js';
import type { RecipientRateLimit } from './rate-limit.js';

export interface NotificationSenderOptions {
  readonly store: Store;
  readonly provider: SmsProvider;
  readonly logger: Logger;
  readonly now?: () => number;
  readonly retryPolicy?: RetryPolicy;
  readonly rateLimit?: { readonly perRecipient: RecipientRateLimit };
  /** Notifications claimed per pass. */
  readonly batchSize?: number;
  /** Must outlast one provider call (its timeout) so a live claim is not taken over. */
  readonly leaseMs?: number;
  /** How often start()'s loop looks for due retries when nobody calls notify(). */
  readonly pollIntervalMs?: number;
  /** Jitter source for decideRetry; tests pass a constant. */
  readonly random?: () => number;
  /** Told each handled notification's outcome (metrics); must not throw. */
  readonly onOutcome?: (notification: Notification, outcome: SendOutcome, at: number) => void;
}

/** skipped: the alert was acknowledged or resolved before the SMS went out (stored as a failed attempt). */
export type SendOutcome = 'sent' | 'retried' | 'failed' | 'deferred' | 'skipped';

export interface RunSummary {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  deferred: number;
  skipped: number;
}

/** Deferrals are stored as 'retry' attempts with this reply prefix; they never count against the retry policy. */
export const DEFERRED_PREFIX = 'deferred: ';

/** Notifications whose alert was acknowledged or resolved before sending are closed as 'failed' with this reply prefix. */
export const SKIPPED_PREFIX = 'skipped: ';

export const DEFAULT_SENDER_LEASE_MS = 60_000;
export const DEFAULT_POLL_INTERVAL_MS = 1_000;

const isProviderAttempt = (a: NotificationAttempt): boolean => !a.reply.startsWith(DEFERRED_PREFIX);

/** What gets stored for an attempt: enough to see why it failed without the provider's console. */
export function describeSendResult(result: SendResult): string {
  const text = result.ok
    ? `HTTP ${result.status} id ${result.providerId}: ${result.reply}`
    : `${result.error}${result.status === undefined ? '' : ` (HTTP ${result.status})`}${result.reply ? `: ${result.reply}` : ''}`;
  return text.slice(0, MAX_REPLY_CHARS);
}

/**
 * Drains the durable outbox: claims due notifications under a lease, sends each through the
 * provider (idempotency key = notification key), records every attempt and retries per policy.
 * At-least-once: a crash between the provider's acceptance and recordAttempt resends after the
 * lease; the idempotency key lets a provider that honours it drop that duplicate.
 */
export class NotificationSender {
  private readonly store: Store;
  private readonly provider: SmsProvider;
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly policy: RetryPolicy;
  private readonly perRecipient: RecipientRateLimit | undefined;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly pollIntervalMs: number;
  private readonly random: () => number;
  private readonly onOutcome: NotificationSenderOptions['onOutcome'];
  /** Successful send times per phone; in memory, so a restart forgets them (the limit is a courtesy, not a contract). */
  private readonly history = new Map<string, number[]>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private wakeAgain = false;
  private stopped = true;

  constructor(options: NotificationSenderOptions) {
    this.store = options.store;
    this.provider = options.provider;
    this.logger = options.logger;
    this.now = options.now ?? Date.now;
    this.policy = options.retryPolicy ?? DEFAULT_RETRY_POLICY;
    this.perRecipient = options.rateLimit && validateRateLimit(options.rateLimit.perRecipient);
    this.batchSize = options.batchSize ?? 20;
    this.leaseMs = options.leaseMs ?? DEFAULT_SENDER_LEASE_MS;
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    this.random = options.random ?? Math.random;
    this.onOutcome = options.onOutcome;
  }

  /** One pass: claim what is due, handle each in order (one recipient's SMS stay in order). */
  async runOnce(): Promise<RunSummary> {
    const summary: RunSummary = { claimed: 0, sent: 0, retried: 0, failed: 0, deferred: 0, skipped: 0 };
    const claimed = await this.store.claimDueNotifications(this.now(), this.batchSize, this.leaseMs);
    summary.claimed = claimed.length;
    for (const notification of claimed) {
      try {
        const outcome = await this.handle(notification);
        summary[outcome] += 1;
        this.onOutcome?.(notification, outcome, this.now());
      } catch (error) {
        // The lease runs out and the next pass retries it; one bad row must not stop the others.
        this.logger.error({ err: error, notificationId: notification.id }, 'notification dispatch failed');
      }
    }
    return summary;
  }

  private async handle(notification: Notification): Promise<SendOutcome> {
    const log = this.logger.child({ notificationId: notification.id, key: notification.key });
    const startedAt = this.now();
    if (this.perRecipient) {
      const recent = pruneHistory(this.perRecipient, this.history.get(notification.recipient) ?? [], startedAt);
      this.history.set(notification.recipient, recent);
      const rate = checkRateLimit(this.perRecipient, recent, startedAt);
      if (!rate.allowed) {
        const reply = `${DEFERRED_PREFIX}rate limit ${this.perRecipient.count} per ${this.perRecipient.windowMs} ms for ${notification.recipient}`;
        await this.store.recordAttempt(notification.id, { at: startedAt, outcome: 'retry', reply, nextAttemptAt: rate.retryAtMs });
        log.warn({ retryAt: rate.retryAtMs }, 'sms deferred by per-recipient rate limit');
        return 'deferred';
      }
    }
    if (notification.alertId !== null) {
      // Someone acknowledged (or the fault cleared) after this was queued: texting now would only mislead.
      const alert = await this.store.getAlert(notification.alertId);
      if (alert && (alert.state === 'acknowledged' || alert.state === 'resolved')) {
        await this.store.recordAttempt(notification.id, { at: startedAt, outcome: 'failed', reply: `${SKIPPED_PREFIX}alert ${alert.id} is ${alert.state}` });
        log.info({ alertId: alert.id, state: alert.state }, 'sms skipped: alert no longer needs it');
        return 'skipped';
      }
    }
    const earlier = (await this.store.listAttempts(notification.id)).filter(isProviderAttempt);
    const result = await this.provider.send({
      to: notification.recipient,
      body: notification.body,
      idempotencyKey: notification.key,
    });
    const at = this.now();
    const decision = decideRetry(
      this.policy,
      { attempt: earlier.length + 1, firstAttemptAtMs: earlier[0]?.at ?? startedAt, nowMs: at, result },
      this.random,
    );
    const reply = describeSendResult(result);
    if (decision.action === 'done') {
      await this.store.recordAttempt(notification.id, { at, outcome: 'sent', reply });
      this.history.set(notification.recipient, [...(this.history.get(notification.recipient) ?? []), at]);
      log.info({ provider: this.provider.name, attempt: earlier.length + 1 }, 'sms sent');
      if (notification.alertId !== null) await this.markNotified(notification.alertId, at);
      return 'sent';
    }
    if (decision.action === 'retry') {
      await this.store.recordAttempt(notification.id, { at, outcome: 'retry', reply, nextAttemptAt: decision.atMs });
      log.warn({ reply, retryAt: decision.atMs, attempt: earlier.length + 1 }, 'sms failed, will retry');
      return 'retried';
    }
    await this.store.recordAttempt(notification.id, { at, outcome: 'failed', reply: `${reply} [gave up: ${decision.reason}]` });
    log.error({ reply, reason: decision.reason, attempt: earlier.length + 1 }, 'sms failed for good');
    return 'failed';
  }

  /** raised → notified; an alert already acknowledged or resolved meanwhile is left alone. */
  private async markNotified(alertId: number, at: number): Promise<void> {
    const alert = await this.store.getAlert(alertId);
    if (alert?.state !== 'raised') return;
    try {
      await this.store.transitionAlert(alertId, 'notified', at, 'system');
    } catch (error) {
      if (!(error instanceof StoreError && error.code === 'ALERT_TRANSITION')) throw error;
    }
  }

  /** Runs a pass now (e.g. right after an enqueue); a pass already running is followed by one more. */
  notify(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wakeAgain = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.running = this.loop();
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.notify();
  }

  /** Stops the loop and waits for a pass in flight, so the store can be closed safely afterwards. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.wakeAgain = false;
      try {
        const summary = await this.runOnce();
        // A full batch means more may be due: go again without waiting for the timer.
        if (summary.claimed === this.batchSize) this.wakeAgain = true;
      } catch (error) {
        this.logger.error({ err: error }, 'notification pass failed');
      }
    } while (this.wakeAgain && !this.stopped);
    this.running = undefined;
    if (!this.stopped) this.timer = setTimeout(() => this.notify(), this.pollIntervalMs);
  }
}
