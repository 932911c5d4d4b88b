// The header's alarm controls (docs/dashboard.md "Alarm signals"): the "Sound on new alerts"
// toggle, whose click is also the gesture browsers want before audio plays, and an "Alarm
// settings" disclosure: which severities sound, how often a critical alarm repeats, and desktop
// notifications. Per browser (localStorage), off by default.
import { useState } from 'preact/hooks';
import type { Severity } from '../../api/types.js';
import { REPEAT_CHOICES, type AlarmSettings } from '../../lib/alarm-settings.js';
import { formatDuration } from '../../lib/format.js';
import { allowNotifications } from './desktop-notification.js';
import { unlockAudio } from './tone.js';

// The panel floats over the page (on a phone it covers it): Escape closes it and gives focus back
// to its summary, and it closes when focus moves elsewhere, like a menu.
function closeOnEscape(e: KeyboardEvent): void {
  const details = e.currentTarget as HTMLDetailsElement;
  if (e.key !== 'Escape' || !details.open) return;
  details.open = false;
  details.querySelector('summary')?.focus();
}

function closeWhenFocusLeaves(e: FocusEvent): void {
  const details = e.currentTarget as HTMLDetailsElement;
  if (e.relatedTarget instanceof Node && !details.contains(e.relatedTarget)) details.open = false;
}

const THRESHOLDS: [Severity, string][] = [
  ['critical', 'Critical only'],
  ['major', 'Major and critical'],
  ['minor', 'Minor and above'],
  ['info', 'Every alert'],
];

export function AlarmControls({ settings, onChange }: { settings: AlarmSettings; onChange: (s: AlarmSettings) => void }) {
  const [blocked, setBlocked] = useState(false);
  const set = (patch: Partial<AlarmSettings>): void => onChange({ ...settings, ...patch });
  const toggleNotify = async (on: boolean): Promise<void> => {
    const allowed = on && (await allowNotifications());
    setBlocked(on && !allowed);
    set({ notify: allowed });
  };
  return (
    <>
      <button
        type="button"
        class="sound"
        aria-pressed={settings.sound}
        onClick={() => {
          if (!settings.sound) unlockAudio();
          set({ sound: !settings.sound });
        }}
      >
        {/* Named "Sound on new alerts" (a toggle's name stays put; aria-pressed says the state), showing "Sound on"/"Sound off". */}
        Sound<span aria-hidden="true"> {settings.sound ? 'on' : 'off'}</span>
        <span class="sr-only"> on new alerts</span>
      </button>
      <details class="alarm-settings" onKeyDown={closeOnEscape} onFocusOut={closeWhenFocusLeaves}>
        <summary>Alarm settings</summary>
        <div class="panel">
          <label>
            Sound for
            <select value={settings.threshold} onChange={(e) => set({ threshold: e.currentTarget.value as Severity })}>
              {THRESHOLDS.map(([s, text]) => (
                <option key={s} value={s}>
                  {text}
                </option>
              ))}
            </select>
          </label>
          <label>
            Repeat while a critical alert is unacknowledged
            <select value={settings.repeatS} onChange={(e) => set({ repeatS: Number(e.currentTarget.value) })}>
              {REPEAT_CHOICES.map((s) => (
                <option key={s} value={s}>
                  {s === 0 ? 'Never' : `Every ${formatDuration(s * 1000)}`}
                </option>
              ))}
            </select>
          </label>
          <label class="check">
            <input type="checkbox" checked={settings.notify} onChange={(e) => void toggleNotify(e.currentTarget.checked)} />
            Desktop notification for new critical alerts while this tab is hidden
          </label>
          {blocked && <p role="status">This browser does not allow notifications from this page.</p>}
        </div>
      </details>
    </>
  );
}
