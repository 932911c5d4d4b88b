// Runs `fn` at most once per `intervalMs` however often it is requested: the first request
// runs at once, requests during the quiet period collapse into one run at its end. The
// overview re-fetches its aggregate this way when alert or gateway events arrive.

export interface Coalescer {
  request(): void;
  cancel(): void;
}

export function coalesce(fn: () => void, intervalMs: number, now: () => number = Date.now): Coalescer {
  let lastRun = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const run = (): void => {
    timer = null;
    lastRun = now();
    fn();
  };
  return {
    request() {
      if (timer !== null) return;
      const wait = lastRun + intervalMs - now();
      if (wait <= 0) run();
      else timer = setTimeout(run, wait);
    },
    cancel() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
