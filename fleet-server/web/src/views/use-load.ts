// Loads data for a view: { data, error, reload }. A reload keeps showing the old data until the
// new arrives; an answer to a superseded request is dropped.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from '../api/client.js';

export interface Loaded<T> {
  data: T | null;
  error: string | null;
  reload: () => void;
  set: (update: (old: T | null) => T | null) => void;
}

export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const seq = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const reload = useCallback(() => {
    const mine = ++seq.current;
    loadRef.current().then(
      (d) => {
        if (mine !== seq.current) return;
        setData(d);
        setError(null);
      },
      (err: unknown) => {
        if (mine !== seq.current) return;
        setError(errorText(err));
      },
    );
  }, []);

  useEffect(() => {
    setData(null);
    setError(null);
    reload();
    return () => {
      seq.current++;
    };
  }, deps);

  return { data, error, reload, set: (update) => setData(update) };
}
