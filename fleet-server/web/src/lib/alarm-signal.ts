// The control-room alarm signals' logic (docs/dashboard.md "Alarm signals"): which alerts nobody
// has acknowledged yet, what the header and the tab title say about them, which alerts sound or
// notify, and when a sound repeats. No DOM and no real time here (the schedule takes a clock),
// so it is unit-tested in node.
import type { Alert, AlertEvent, Severity, SeverityCounts } from '../api/types.js';
import { SEVERITIES, severityRank } from './format.js';
import type { AlarmSettings } from './alarm-settings.js';

export const NO_UNACKED: SeverityCounts = Object.freeze({ critical: 0, major: 0, minor: 0, info: 0, total: 0 });

/** Raised or notified: nobody has acknowledged it (docs/alerts.md states). */
export function isUnacknowledged(a: Pick<Alert, 'state'>): boolean {
  return a.state === 'raised' || a.state === 'notified';
}

/** A live alert event that is an alarm to signal: the alert was just raised (once per alert; a resumed stream replays missed ones). */
export function isNewAlarm(e: Pick<AlertEvent, 'change' | 'alert'>): boolean {
  return e.change === 'raised' && isUnacknowledged(e.alert);
}

/**
 * The alerts the page knows nobody has acknowledged, fed by GET /alerts?state=raised,notified
 * and the live stream's alert events. Like the board, an older version of an alert (by
 * updatedAt) changes nothing, so a late event cannot undo an acknowledgement.
 */
export class UnackedAlerts {
  private readonly unacked = new Map<number, Alert>();
  /** The latest updatedAt of every alert seen since sign-in: what "new to the page" is measured against. */
  private readonly versions = new Map<number, number>();
  private loaded = false;

  /**
   * A snapshot replaces the unacknowledged set. Returns those new to the page, raised while it
   * could not hear (after a `reset`), to signal; none on the first load: those were there before
   * the operator looked. Events that arrived during the load are applied after it.
   */
  load(items: readonly Alert[]): Alert[] {
    const fresh = this.loaded ? items.filter((a) => isUnacknowledged(a) && !this.versions.has(a.id)) : [];
    this.loaded = true;
    this.unacked.clear();
    for (const a of items) this.put(a);
    return fresh;
  }

  /** One alert's new version from the live stream (or replayed over a snapshot). */
  apply(alert: Alert): void {
    const seen = this.versions.get(alert.id);
    if (seen === undefined || seen <= alert.updatedAt) this.put(alert);
  }

  /** Signed out: nothing is known, and the next load is a first one again. */
  clear(): void {
    this.unacked.clear();
    this.versions.clear();
    this.loaded = false;
  }

  get counts(): SeverityCounts {
    return countBySeverity(this.unacked.values());
  }

  /** Whether the alert is still raised or notified, as far as the page knows. */
  has(id: number): boolean {
    return this.unacked.has(id);
  }

  private put(a: Alert): void {
    this.versions.set(a.id, Math.max(a.updatedAt, this.versions.get(a.id) ?? a.updatedAt));
    if (isUnacknowledged(a)) this.unacked.set(a.id, a);
    else this.unacked.delete(a.id);
  }
}

export function countBySeverity(alerts: Iterable<Pick<Alert, 'severity'>>): SeverityCounts {
  const c: SeverityCounts = { ...NO_UNACKED };
  for (const a of alerts) {
    c[a.severity]++;
    c.total++;
  }
  return c;
}

export function sameCounts(a: SeverityCounts, b: SeverityCounts): boolean {
  return a.total === b.total && SEVERITIES.every((s) => a[s] === b[s]);
}

/** The most severe level among the counts (the badge's colour), or null when there are none. */
export function worstSeverity(c: SeverityCounts): Severity | null {
  return SEVERITIES.find((s) => c[s] > 0) ?? null;
}

/** The Alerts link's accessible name: "Alerts, 2 unacknowledged (1 critical, 1 major)", or "Alerts" when none. */
export function alertsLinkName(c: SeverityCounts): string {
  if (c.total === 0) return 'Alerts';
  const parts = SEVERITIES.filter((s) => c[s] > 0).map((s) => `${c[s]} ${s}`);
  return `Alerts, ${c.total} unacknowledged (${parts.join(', ')})`;
}

/** The tab's title: "(2) Alerts — EdgeFleet cockpit" while any are unacknowledged, so a background tab shows it. */
export function titleWithCount(title: string, unacknowledged: number): string {
  return unacknowledged > 0 ? `(${unacknowledged}) ${title}` : title;
}

/** Whether a new alert sounds: sound on, and its severity at or above the chosen threshold. */
export function soundsFor(alert: Pick<Alert, 'severity'>, s: AlarmSettings): boolean {
  return s.sound && severityRank(alert.severity) <= severityRank(s.threshold);
}

/** The tone for alerts new to the page: that of the most severe one that sounds, or null for silence. */
export function toneFor(fresh: readonly Pick<Alert, 'severity'>[], s: AlarmSettings): Severity | null {
  return worstSeverity(countBySeverity(fresh.filter((a) => soundsFor(a, s))));
}

/** Whether a new alert gets a desktop notification: opted in, critical, and the tab is hidden. */
export function notifiesFor(alert: Pick<Alert, 'severity'>, s: AlarmSettings, hidden: boolean): boolean {
  return s.notify && hidden && alert.severity === 'critical';
}

/** One beep of a tone: when it starts (seconds after the tone does) and its pitch. */
export interface Beep {
  at: number;
  hz: number;
}

/**
 * The beeps of a tone: two high ones for a critical alert, one lower otherwise; none unless the
 * audio context is running. A suspended context (no click yet since the page loaded, which is
 * how browsers start one) does not advance its clock, so beeps scheduled on it would all wait at
 * time 0 and sound at once on the first click: an hour of repeats as one blast.
 */
export function toneBeeps(severity: Severity, audioState: string): Beep[] {
  if (audioState !== 'running') return [];
  return severity === 'critical' ? [{ at: 0, hz: 880 }, { at: 0.3, hz: 880 }] : [{ at: 0, hz: 587 }];
}

/**
 * How long new alerts wait for others before they sound: a resumed live stream replays the
 * `raised` events missed during a drop one after the other, and a burst of alarms (a site losing
 * power) arrives as many events; a tone each would pile up into one loud, overlapping noise.
 */
export const TONE_GATHER_MS = 250;

/**
 * The new alerts gathered for one tone ("several new alerts at once give one tone") and their
 * desktop notifications. `add` says when a batch starts (the caller takes it TONE_GATHER_MS
 * later); `take` gives the batch's alerts that are still unacknowledged (one acknowledged later
 * in the same replay does not sound) and empties it.
 */
export class AlarmBatch {
  private readonly held = new Map<number, Alert>();

  /** True when these alerts start a batch. */
  add(fresh: readonly Alert[]): boolean {
    const starts = this.held.size === 0;
    for (const a of fresh) this.held.set(a.id, a);
    return starts && this.held.size > 0;
  }

  take(isUnacked: (id: number) => boolean): Alert[] {
    const batch = [...this.held.values()].filter((a) => isUnacked(a.id));
    this.held.clear();
    return batch;
  }

  clear(): void {
    this.held.clear();
  }
}

/**
 * When the sound repeats: every `repeatS` seconds after the last sound while a critical alert is
 * unacknowledged. A critical alarm that began without a sound (found by the sign-in load, or
 * sound just switched on) first repeats `repeatS` after it was seen; acknowledging the last
 * critical alert (or switching sound or repeat off) stops it and forgets when it last sounded.
 */
export class RepeatSchedule {
  private anchor: number | null = null;

  constructor(private readonly now: () => number) {}

  /** A sound played now (for a new alert or a repeat): the next repeat counts from here. */
  sounded(): void {
    this.anchor = this.now();
  }

  /** When the next repeat is due (epoch ms, may be past), or null when nothing repeats. */
  next(s: AlarmSettings, criticalUnacked: boolean): number | null {
    if (!s.sound || s.repeatS <= 0 || !criticalUnacked) {
      this.anchor = null;
      return null;
    }
    this.anchor ??= this.now();
    return this.anchor + s.repeatS * 1000;
  }
}
