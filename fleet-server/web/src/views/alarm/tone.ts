// The alarm tone, made with the Web Audio API: no audio file to fetch, so the dashboard's CSP
// (default-src 'self') needs nothing new. Browsers keep audio silent until the page has had a
// click or key press; the "Sound" toggle is that click, and after a reload the first click or key
// anywhere resumes it (docs/dashboard.md "Alarm signals").
import type { Severity } from '../../api/types.js';
import { toneBeeps } from '../../lib/alarm-signal.js';

let ctx: AudioContext | null = null;
/**
 * Several tabs of the cockpit in one browser (a board on one screen, the overview on another)
 * would each play every tone. Only the tab holding the Web Lock below plays; it asks for the lock
 * once its audio runs (a tab that cannot play must not silence one that can), and when it closes
 * the next waiting tab takes over. Without Web Locks every tab plays, as before.
 */
const SOUND_LOCK = 'edgefleet-alarm-sound';
let leading = typeof navigator === 'undefined' || navigator.locks === undefined;
let asked = false;

function claimSound(): void {
  if (asked || leading) return;
  asked = true;
  // Held until the page goes: the callback's promise never settles.
  void navigator.locks.request(SOUND_LOCK, () => {
    leading = true;
    return new Promise<never>(() => undefined);
  }).catch(() => {
    leading = true; // Locks refused (e.g. an opaque origin): sound rather than none.
  });
}

/** Creates or resumes the audio context. Call it from a click or key press to have sound at once. */
export function unlockAudio(): void {
  try {
    ctx ??= new AudioContext();
  } catch {
    return; // No Web Audio here: the badge and the title still show the alarm.
  }
  if (ctx.state === 'running') claimSound();
  else if (ctx.state === 'suspended') void ctx.resume().then(claimSound, () => undefined);
}

/** Resumes audio on the page's next click or key press (sound was on before a reload, when no click has happened yet). */
export function unlockOnNextGesture(): void {
  const once = (): void => {
    removeEventListener('pointerdown', once, true);
    removeEventListener('keydown', once, true);
    unlockAudio();
  };
  addEventListener('pointerdown', once, true);
  addEventListener('keydown', once, true);
}

/**
 * A short tone: two high beeps for a critical alert, one lower beep otherwise, and nothing while
 * audio is not yet unlocked (lib/alarm-signal.ts toneBeeps) or while another tab plays them.
 * Dispatches a `cockpit:alarm-sound` event on window (detail: severity and the audio context's
 * state, or 'other-tab') either way, which the browser test counts: an event, not a performance
 * mark, since the test fakes the clock and with it `performance`.
 */
export function playTone(severity: Severity): void {
  unlockAudio();
  if (ctx === null) return;
  if (!leading) {
    dispatchEvent(new CustomEvent('cockpit:alarm-sound', { detail: { severity, audio: 'other-tab' } }));
    return;
  }
  const t = ctx.currentTime;
  for (const { at, hz } of toneBeeps(severity, ctx.state)) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = hz;
    // A fast attack and an exponential fade: no click at either end.
    gain.gain.setValueAtTime(0.0001, t + at);
    gain.gain.exponentialRampToValueAtTime(0.3, t + at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t + at + 0.25);
    osc.connect(gain).connect(ctx.destination);
    osc.start(t + at);
    osc.stop(t + at + 0.26);
  }
  dispatchEvent(new CustomEvent('cockpit:alarm-sound', { detail: { severity, audio: ctx.state } }));
}
