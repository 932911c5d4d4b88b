// The alarm signals' per-browser setting (docs/dashboard.md "Alarm signals"), kept in
// localStorage as JSON. Read defensively: a value from an older page or edited by hand falls
// back field by field to the defaults, so a bad entry can never break the header.
import type { Severity } from '../api/types.js';
import { SEVERITIES } from './format.js';

export interface AlarmSettings {
  /** A tone for each new alert at or above `threshold` (off by default: browsers need a click first anyway). */
  sound: boolean;
  /** The least severe level that sounds. */
  threshold: Severity;
  /** Seconds between repeats while a critical alert is unacknowledged; 0: no repeat. */
  repeatS: number;
  /** A desktop notification for a new critical alert while the tab is hidden. */
  notify: boolean;
}

export const ALARM_SETTINGS_KEY = 'edgefleet.alarmSignals';

/** The repeat intervals offered, in seconds (0 = off). */
export const REPEAT_CHOICES: readonly number[] = [0, 10, 30, 60, 120, 300];

export const DEFAULT_ALARM_SETTINGS: AlarmSettings = Object.freeze({ sound: false, threshold: 'major', repeatS: 30, notify: false });

/** The stored setting, or the defaults for whatever is missing or not a valid value. */
export function parseAlarmSettings(raw: string | null): AlarmSettings {
  let v: Record<string, unknown> = {};
  try {
    const parsed: unknown = raw === null ? {} : JSON.parse(raw);
    if (typeof parsed === 'object' && parsed !== null) v = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: the defaults.
  }
  const d = DEFAULT_ALARM_SETTINGS;
  return {
    sound: typeof v.sound === 'boolean' ? v.sound : d.sound,
    threshold: SEVERITIES.includes(v.threshold as Severity) ? (v.threshold as Severity) : d.threshold,
    repeatS: REPEAT_CHOICES.includes(v.repeatS as number) ? (v.repeatS as number) : d.repeatS,
    notify: typeof v.notify === 'boolean' ? v.notify : d.notify,
  };
}
