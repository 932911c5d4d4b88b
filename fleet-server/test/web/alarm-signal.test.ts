import { describe, expect, it } from 'vitest';
import type { Alert, AlertState, Severity } from '../../web/src/api/types.js';
import { ALARM_SETTINGS_KEY, DEFAULT_ALARM_SETTINGS, parseAlarmSettings, type AlarmSettings } from '../../web/src/lib/alarm-settings.js';
import {
  AlarmBatch, alertsLinkName, isNewAlarm, isUnacknowledged, NO_UNACKED, notifiesFor, RepeatSchedule, sameCounts, soundsFor,
  titleWithCount, toneBeeps, toneFor, UnackedAlerts, worstSeverity,
} from '../../web/src/lib/alarm-signal.js';

const alert = (id: number, over: Partial<Alert> = {}): Alert => ({
  id, gateway: 'gw-a', device: 'lift-1', rule: 'entrapment', state: 'raised', severity: 'critical',
  message: `alert ${id}`, raisedAt: 1000 * id, updatedAt: 1000 * id, acknowledgedAt: null, acknowledgedBy: null, resolvedAt: null,
  ...over,
});
const counts = (c: Partial<Record<Severity, number>>) => {
  const all = { ...NO_UNACKED, ...c };
  return { ...all, total: all.critical + all.major + all.minor + all.info };
};
const on: AlarmSettings = { ...DEFAULT_ALARM_SETTINGS, sound: true };

describe('which alerts count as unacknowledged', () => {
  it.each<[AlertState, boolean]>([['raised', true], ['notified', true], ['acknowledged', false], ['resolved', false]])('%s: %s', (state, expected) => {
    expect(isUnacknowledged({ state })).toBe(expected);
  });

  it('a raised event is a new alarm; later changes of the same alert are not', () => {
    expect(isNewAlarm({ change: 'raised', alert: alert(1) })).toBe(true);
    expect(isNewAlarm({ change: 'notified', alert: alert(1, { state: 'notified' }) })).toBe(false);
    expect(isNewAlarm({ change: 'attempt', alert: alert(1) })).toBe(false);
    expect(isNewAlarm({ change: 'acknowledged', alert: alert(1, { state: 'acknowledged' }) })).toBe(false);
  });
});

describe('UnackedAlerts', () => {
  it('counts a snapshot by severity and follows acknowledgement and resolution', () => {
    const u = new UnackedAlerts();
    expect(u.load([alert(1), alert(2, { severity: 'major', state: 'notified' }), alert(3, { severity: 'minor' })])).toEqual([]);
    expect(u.counts).toEqual(counts({ critical: 1, major: 1, minor: 1 }));
    u.apply(alert(1, { state: 'acknowledged', updatedAt: 5000 }));
    u.apply(alert(3, { state: 'resolved', updatedAt: 6000 }));
    expect(u.counts).toEqual(counts({ major: 1 }));
    u.apply(alert(4, { severity: 'info' }));
    expect(u.counts).toEqual(counts({ major: 1, info: 1 }));
  });

  it('ignores a late older version, so an acknowledgement is not undone', () => {
    const u = new UnackedAlerts();
    u.load([]);
    u.apply(alert(5, { state: 'acknowledged', updatedAt: 9000 }));
    u.apply(alert(5, { state: 'notified', updatedAt: 6000 }));
    expect(u.counts.total).toBe(0);
  });

  it('a first load reports nothing new; a later one (after a reset) reports the unacknowledged alerts it never saw', () => {
    const u = new UnackedAlerts();
    expect(u.load([alert(1), alert(2)])).toEqual([]);
    const fresh = u.load([alert(2), alert(3), alert(4, { state: 'acknowledged' })]);
    expect(fresh.map((a) => a.id)).toEqual([3]);
    // Alert 1 was acknowledged (or resolved) while the page could not hear: it left the snapshot.
    expect(u.counts).toEqual(counts({ critical: 2 }));
  });

  it('an alert seen live during a load is not new to the next snapshot, and events replayed over the snapshot win', () => {
    const u = new UnackedAlerts();
    u.load([]);
    u.apply(alert(7));
    // The snapshot was read before the acknowledgement; the buffered event is replayed after it.
    expect(u.load([alert(7)])).toEqual([]);
    u.apply(alert(7, { state: 'acknowledged', updatedAt: 8000 }));
    expect(u.counts.total).toBe(0);
  });

  it('clear (sign-out) forgets everything, so the next load is a first one again', () => {
    const u = new UnackedAlerts();
    u.load([alert(1)]);
    u.clear();
    expect(u.counts.total).toBe(0);
    expect(u.load([alert(2)])).toEqual([]);
  });
});

describe('what the header and title say', () => {
  it.each([
    [counts({}), 'Alerts'],
    [counts({ critical: 1, major: 1 }), 'Alerts, 2 unacknowledged (1 critical, 1 major)'],
    [counts({ minor: 3 }), 'Alerts, 3 unacknowledged (3 minor)'],
    [counts({ critical: 1, info: 2 }), 'Alerts, 3 unacknowledged (1 critical, 2 info)'],
  ])('the Alerts link for %o: %s', (c, name) => {
    expect(alertsLinkName(c)).toBe(name);
  });

  it('colours the badge by the worst severity present', () => {
    expect(worstSeverity(counts({}))).toBeNull();
    expect(worstSeverity(counts({ minor: 2, major: 1 }))).toBe('major');
    expect(worstSeverity(counts({ info: 1, critical: 1 }))).toBe('critical');
  });

  it('leads the title with the count only while any are unacknowledged', () => {
    expect(titleWithCount('Alerts — EdgeFleet cockpit', 2)).toBe('(2) Alerts — EdgeFleet cockpit');
    expect(titleWithCount('Overview — EdgeFleet cockpit', 0)).toBe('Overview — EdgeFleet cockpit');
  });

  it('compares counts by value', () => {
    expect(sameCounts(counts({ major: 1 }), counts({ major: 1 }))).toBe(true);
    expect(sameCounts(counts({ major: 1 }), counts({ minor: 1 }))).toBe(false);
  });
});

describe('when to sound and notify', () => {
  it.each<[Severity, Severity, boolean]>([
    ['critical', 'major', true], ['major', 'major', true], ['minor', 'major', false], ['info', 'major', false],
    ['major', 'critical', false], ['critical', 'critical', true], ['info', 'info', true],
  ])('a new %s alert with threshold %s sounds: %s', (severity, threshold, expected) => {
    expect(soundsFor({ severity }, { ...on, threshold })).toBe(expected);
  });

  it('never sounds with sound off (the default)', () => {
    expect(DEFAULT_ALARM_SETTINGS.sound).toBe(false);
    expect(soundsFor({ severity: 'critical' }, DEFAULT_ALARM_SETTINGS)).toBe(false);
  });

  it('plays one tone for several new alerts: the most severe that sounds', () => {
    expect(toneFor([{ severity: 'major' }, { severity: 'critical' }, { severity: 'minor' }], on)).toBe('critical');
    expect(toneFor([{ severity: 'minor' }, { severity: 'info' }], on)).toBeNull();
    expect(toneFor([], on)).toBeNull();
  });

  it('notifies only opted in, for a critical alert, while the tab is hidden', () => {
    const notify = { ...DEFAULT_ALARM_SETTINGS, notify: true };
    expect(notifiesFor({ severity: 'critical' }, notify, true)).toBe(true);
    expect(notifiesFor({ severity: 'critical' }, notify, false)).toBe(false);
    expect(notifiesFor({ severity: 'major' }, notify, true)).toBe(false);
    expect(notifiesFor({ severity: 'critical' }, DEFAULT_ALARM_SETTINGS, true)).toBe(false);
  });
});

describe('AlarmBatch: a replay or a burst of raised events gives one tone', () => {
  it('gathers the raised events of a resumed stream into one batch, started by the first', () => {
    const u = new UnackedAlerts();
    u.load([]);
    const batch = new AlarmBatch();
    // The missed events arrive one by one: each is applied, then offered as new.
    const starts = [alert(1, { severity: 'minor' }), alert(2), alert(3, { severity: 'major' })].map((a) => {
      u.apply(a);
      return batch.add([a]);
    });
    expect(starts).toEqual([true, false, false]);
    const fresh = batch.take((id) => u.has(id));
    expect(fresh.map((a) => a.id)).toEqual([1, 2, 3]);
    expect(toneFor(fresh, on)).toBe('critical');
    // Taken: the next new alert starts a batch of its own.
    expect(batch.take((id) => u.has(id))).toEqual([]);
    expect(batch.add([alert(4)])).toBe(true);
  });

  it('does not sound for an alert acknowledged later in the same replay', () => {
    const u = new UnackedAlerts();
    u.load([]);
    const batch = new AlarmBatch();
    for (const a of [alert(1), alert(2, { severity: 'major' })]) {
      u.apply(a);
      batch.add([a]);
    }
    u.apply(alert(1, { state: 'acknowledged', updatedAt: 9_000 }));
    const fresh = batch.take((id) => u.has(id));
    expect(fresh.map((a) => a.id)).toEqual([2]);
    expect(toneFor(fresh, on)).toBe('major');
  });

  it('an empty offer starts nothing, and clear drops what was held', () => {
    const batch = new AlarmBatch();
    expect(batch.add([])).toBe(false);
    expect(batch.add([alert(1)])).toBe(true);
    batch.clear();
    expect(batch.take(() => true)).toEqual([]);
  });
});

describe('toneBeeps', () => {
  it('two high beeps for critical, one lower otherwise, on a running audio context', () => {
    expect(toneBeeps('critical', 'running')).toEqual([{ at: 0, hz: 880 }, { at: 0.3, hz: 880 }]);
    expect(toneBeeps('minor', 'running')).toEqual([{ at: 0, hz: 587 }]);
  });

  // A suspended context's clock stands still: repeats scheduled on it before the first click
  // would all start at time 0 together once the click resumes it.
  it.each(['suspended', 'interrupted', 'closed'])('nothing while the context is %s', (state) => {
    expect(toneBeeps('critical', state)).toEqual([]);
  });
});

describe('RepeatSchedule (injected clock)', () => {
  const clock = () => {
    const c = { t: 1_000_000, now: () => c.t };
    return c;
  };

  it('repeats every repeatS after the last sound while a critical alert is unacknowledged', () => {
    const c = clock();
    const r = new RepeatSchedule(c.now);
    r.sounded();
    expect(r.next(on, true)).toBe(1_030_000);
    c.t = 1_030_000;
    r.sounded();
    expect(r.next(on, true)).toBe(1_060_000);
    // A new major alert sounded in between: the repeat counts from that sound, no double beep.
    c.t = 1_045_000;
    r.sounded();
    expect(r.next(on, true)).toBe(1_075_000);
  });

  it('a critical alarm found without a sound (sign-in load, sound just switched on) first repeats repeatS later', () => {
    const c = clock();
    const r = new RepeatSchedule(c.now);
    expect(r.next(on, true)).toBe(1_030_000);
    c.t = 1_010_000;
    expect(r.next(on, true)).toBe(1_030_000);
  });

  it('stops when the last critical alert is acknowledged, and a later one starts afresh', () => {
    const c = clock();
    const r = new RepeatSchedule(c.now);
    r.sounded();
    expect(r.next(on, false)).toBeNull();
    c.t = 1_100_000;
    expect(r.next(on, true)).toBe(1_130_000);
  });

  it('never repeats with sound off or repeat set to never', () => {
    const r = new RepeatSchedule(clock().now);
    r.sounded();
    expect(r.next(DEFAULT_ALARM_SETTINGS, true)).toBeNull();
    expect(r.next({ ...on, repeatS: 0 }, true)).toBeNull();
    expect(r.next({ ...on, repeatS: 10 }, true)).not.toBeNull();
  });
});

describe('the stored setting', () => {
  it('has a key of its own', () => {
    expect(ALARM_SETTINGS_KEY).toBe('edgefleet.alarmSignals');
  });

  it('defaults to sound off, major and critical, a 30 s repeat, no notifications', () => {
    expect(parseAlarmSettings(null)).toEqual({ sound: false, threshold: 'major', repeatS: 30, notify: false });
  });

  it('round-trips a valid setting', () => {
    const s: AlarmSettings = { sound: true, threshold: 'critical', repeatS: 60, notify: true };
    expect(parseAlarmSettings(JSON.stringify(s))).toEqual(s);
  });

  it.each(['not json', '[]', '42', 'null'])('falls back to the defaults for %s', (raw) => {
    expect(parseAlarmSettings(raw)).toEqual(DEFAULT_ALARM_SETTINGS);
  });

  it('falls back field by field', () => {
    expect(parseAlarmSettings(JSON.stringify({ sound: true, threshold: 'loud', repeatS: 7, notify: 'yes' }))).toEqual({ ...DEFAULT_ALARM_SETTINGS, sound: true });
  });
});
