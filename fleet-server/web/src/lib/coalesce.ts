// Runs `fn` at most once per `intervalMs` however often it is requested: the first request
// runs at once, requests during the quiet period collapse into one run at its end, so the last
// request is never dropped. When `fn` returns a promise (a re-fetch), the next run also waits
// for it to settle: a request during a fetch that may have read the data before the change
// gets one run after it, and a slow server is never handed overlapping fetches that supersede
// one another and so never show anything. The overview re-fetches its aggregate this way.

export interface Coalescer {
  request(): void;
  cancel(): void;
}

export function coalesce(fn: () => void | Promise<unknown>, intervalMs: number, now: () => number = Date.now): Coalescer {
  let lastRun = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let running = false;
  let wanted = false;
  let cancelled = false;
  const run = (): void => {
    timer = null;
    wanted = false;
    lastRun = now();
    const done = fn();
    if (done === undefined) return;
    running = true;
    const settle = (): void => {
      running = false;
      if (wanted && !cancelled) schedule();
    };
    done.then(settle, settle);
  };
  const schedule = (): void => {
    if (timer !== null) return;
    const wait = lastRun + intervalMs - now();
    if (wait <= 0) run();
    else timer = setTimeout(run, wait);
  };
  return {
    request() {
      cancelled = false;
      if (running) wanted = true;
      else schedule();
    },
    cancel() {
      cancelled = true;
      wanted = false;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
