// The app-wide alarm signals (docs/dashboard.md "Alarm signals"): the unacknowledged alerts by
// severity for the header's badge and the tab title, loaded at sign-in and again after a live
// `reset`, kept live from alert events; one tone for the new alerts at or above the threshold (those of a burst or a replay gathered together),
// repeated while a critical one stays unacknowledged; a desktop notification for a new critical
// alert while the tab is hidden. The decisions are lib/alarm-signal.ts's; this wires them to the
// API, the live stream, localStorage, Web Audio and timers.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api/client.js';
import type { Alert, SeverityCounts } from '../../api/types.js';
import { ALARM_SETTINGS_KEY, parseAlarmSettings, type AlarmSettings } from '../../lib/alarm-settings.js';
import {
  AlarmBatch, isNewAlarm, NO_UNACKED, notifiesFor, RepeatSchedule, sameCounts, TONE_GATHER_MS, toneFor, UnackedAlerts,
} from '../../lib/alarm-signal.js';
import { LoadBuffer } from '../../lib/load-buffer.js';
import { useLiveEvents, useReconnect } from '../../live/hooks.js';
import { alarmNotifications } from './desktop-notification.js';
import { playTone, unlockOnNextGesture } from './tone.js';

export interface AlarmSignals {
  counts: SeverityCounts;
  settings: AlarmSettings;
  /** Stores the setting in this browser and applies it (re-arming or stopping the repeat). */
  setSettings: (s: AlarmSettings) => void;
}

/** Retry a failed load after this long (the badge keeps following live events meanwhile). */
const RETRY_MS = 5000;

function storedSettings(): AlarmSettings {
  try {
    return parseAlarmSettings(localStorage.getItem(ALARM_SETTINGS_KEY));
  } catch {
    return parseAlarmSettings(null); // Storage disabled: the defaults.
  }
}

export function useAlarmSignals(signedIn: boolean): AlarmSignals {
  const unacked = useRef(new UnackedAlerts()).current;
  const buffer = useRef(new LoadBuffer<Alert>()).current;
  const schedule = useRef(new RepeatSchedule(Date.now)).current;
  const batch = useRef(new AlarmBatch()).current;
  const [counts, setCounts] = useState(NO_UNACKED);
  const [settings, setSettingsState] = useState(storedSettings);
  const settingsRef = useRef(settings);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const retry = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const gather = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  /** (Re)arms the repeat for the current state: one timer at most, none when nothing repeats. */
  const arm = (): void => {
    clearTimeout(timer.current);
    const due = schedule.next(settingsRef.current, unacked.counts.critical > 0);
    if (due === null) return;
    timer.current = setTimeout(() => {
      playTone('critical');
      schedule.sounded();
      arm();
    }, Math.max(0, due - Date.now()));
  };

  /** One tone (and the notifications) for the gathered new alerts nobody has acknowledged meanwhile. */
  const signal = (): void => {
    gather.current = undefined;
    const s = settingsRef.current;
    const fresh = batch.take((id) => unacked.has(id));
    const tone = toneFor(fresh, s);
    if (tone !== null) {
      playTone(tone);
      schedule.sounded();
    }
    alarmNotifications.notify(fresh.filter((a) => notifiesFor(a, s, document.hidden)));
    arm();
  };

  /** Publishes the counts, gathers the alerts new to the page for their signal, and re-arms the repeat. */
  const update = (fresh: readonly Alert[]): void => {
    if (batch.add(fresh)) gather.current = setTimeout(signal, TONE_GATHER_MS);
    // Only a changed count re-renders the app (most alert events are notification attempts).
    const c = unacked.counts;
    setCounts((old) => (sameCounts(old, c) ? old : c));
    alarmNotifications.settle((id) => unacked.has(id), c.total > 0);
    arm();
  };

  const load = (): void => {
    const mine = buffer.begin();
    api<{ items: Alert[] }>('/alerts?state=raised,notified&limit=10000').then(
      (r) => {
        const settled = buffer.settle(mine);
        if (settled === null) return;
        const fresh = unacked.load(r.items);
        for (const a of settled.events) unacked.apply(a);
        update(fresh);
        if (settled.stale) load();
      },
      () => {
        if (buffer.fail(mine)) retry.current = setTimeout(load, RETRY_MS);
      },
    );
  };

  useEffect(() => {
    if (!signedIn) return;
    load();
    if (settingsRef.current.sound) unlockOnNextGesture();
    return () => {
      buffer.cancel();
      clearTimeout(timer.current);
      clearTimeout(retry.current);
      clearTimeout(gather.current);
      batch.clear();
      unacked.clear();
      alarmNotifications.closeAll();
      schedule.next(settingsRef.current, false); // forgets the last sound: a new sign-in starts afresh
      setCounts(NO_UNACKED);
    };
  }, [signedIn]);
  useReconnect(() => {
    if (signedIn) load();
  });

  useLiveEvents((e) => {
    if (!signedIn || e.type !== 'alert') return;
    buffer.offer(e.data.alert);
    unacked.apply(e.data.alert);
    update(isNewAlarm(e.data) ? [e.data.alert] : []);
  });

  const apply = (s: AlarmSettings): void => {
    settingsRef.current = s;
    setSettingsState(s);
    arm();
  };
  // The setting is per browser: sound switched off in one tab goes quiet in the others too.
  useEffect(() => {
    const onStorage = (e: StorageEvent): void => {
      if (e.key === ALARM_SETTINGS_KEY) apply(parseAlarmSettings(e.newValue));
    };
    addEventListener('storage', onStorage);
    return () => removeEventListener('storage', onStorage);
  }, []);

  const setSettings = (s: AlarmSettings): void => {
    try {
      localStorage.setItem(ALARM_SETTINGS_KEY, JSON.stringify(s));
    } catch {
      // Storage disabled: the setting holds for this page only.
    }
    apply(s);
  };

  return { counts, settings, setSettings };
}
