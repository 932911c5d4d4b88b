// Loads data for a view: { data, error, reload }. A reload keeps showing the old data until the
// new arrives; an answer to a superseded request is dropped. With `live`, the live events the
// view cares about are applied to the data as they arrive and, while a load is in flight, also
// kept and replayed over its snapshot (lib/load-buffer.ts), so none is lost to the race.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from '../api/client.js';
import type { LiveEvent } from '../api/types.js';
import { LoadBuffer, replay } from '../lib/load-buffer.js';
import { useLiveEvents } from '../live/hooks.js';

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  /** Loads again; settles when this load's answer was applied (or dropped). */
  reload: () => Promise<void>;
  set: (update: (old: T | null) => T | null) => void;
}

export interface LiveApply<T> {
  /** The events this view shows (cheap: it sees every event on the stream). */
  accepts: (e: LiveEvent) => boolean;
  /** The data with one event applied; must ignore versions older than the data's. */
  apply: (data: T, e: LiveEvent) => T;
}

export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[], live?: LiveApply<T>): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const buffer = useRef(new LoadBuffer<LiveEvent>()).current;
  const loadRef = useRef(load);
  loadRef.current = load;
  const liveRef = useRef(live);
  liveRef.current = live;

  const reload = useCallback((): Promise<void> => {
    const mine = buffer.begin();
    return loadRef.current().then(
      (d) => {
        const settled = buffer.settle(mine);
        if (settled === null) return;
        const apply = liveRef.current?.apply;
        setData(apply === undefined ? d : replay(d, settled.events, apply));
        setError(null);
        if (settled.stale) return reload();
      },
      (err: unknown) => {
        if (buffer.fail(mine)) setError(errorText(err));
      },
    );
  }, []);

  useLiveEvents((e) => {
    const l = liveRef.current;
    if (l === undefined || !l.accepts(e)) return;
    buffer.offer(e);
    setData((d) => (d === null ? null : l.apply(d, e)));
  });

  useEffect(() => {
    setData(null);
    setError(null);
    void reload();
    return () => buffer.cancel();
  }, deps);

  return { data, error, reload, set: (update) => setData(update) };
}
