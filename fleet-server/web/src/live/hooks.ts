// Preact hooks over the live stream and the shared 1 s ticker.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { LiveEvent } from '../api/types.js';
import type { LiveStatus } from './live-stream.js';
import { live } from './stream.js';

/** Calls the latest `fn` for every live event (the subscription itself lives as long as the component). */
export function useLiveEvents(fn: (e: LiveEvent) => void): void {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => live.onEvent((e) => ref.current(e)), []);
}

/** Calls the latest `fn` once each time the stream comes back after a drop without replaying what was missed (`reset`). */
export function useReconnect(fn: () => void): void {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => live.onReconnect(() => ref.current()), []);
}

export function useLiveStatus(): LiveStatus {
  const [status, setStatus] = useState(live.status);
  useEffect(() => {
    setStatus(live.status);
    return live.onStatus(setStatus);
  }, []);
  return status;
}

// One interval for every timer on the page, running only while something shows a timer.
const tickers = new Set<(now: number) => void>();
let interval: ReturnType<typeof setInterval> | null = null;

function subscribeTick(fn: (now: number) => void): () => void {
  tickers.add(fn);
  if (interval === null) {
    interval = setInterval(() => {
      const now = Date.now();
      for (const t of tickers) t(now);
    }, 1000);
  }
  return () => {
    tickers.delete(fn);
    if (tickers.size === 0 && interval !== null) {
      clearInterval(interval);
      interval = null;
    }
  };
}

export function useNow(): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => subscribeTick(setNow), []);
  return now;
}

/** The end of the current minute, changing (and re-rendering) once a minute: for windows that end "now". */
export function useMinute(): number {
  const [minute, setMinute] = useState(() => Math.ceil(Date.now() / 60_000) * 60_000);
  useEffect(() => subscribeTick((now) => setMinute(Math.ceil(now / 60_000) * 60_000)), []);
  return minute;
}
