/**
 * A one-line progress bar with an ETA on stderr, drawn only when stderr is a terminal (pipes and
 * CI logs get nothing). Hand-rolled: one line of output is not worth a dependency.
 */
export interface ProgressBar {
  update(done: number, total: number, label: string): void;
  done(): void;
}

const WIDTH = 24;

export function createProgressBar(stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): ProgressBar {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  let startedAt = now();
  let lastTotal = -1;
  let lastDone = 0;
  let lastDrawn = 0;
  let drawn = false;
  return {
    update(done, total, label) {
      // A new pass (the next baud rate under --baud auto) restarts the ETA.
      if (lastTotal !== -1 && (total !== lastTotal || done < lastDone)) startedAt = now();
      lastTotal = total;
      lastDone = done;
      const t = now();
      if (done < total && t - lastDrawn < 50) return;
      lastDrawn = t;
      const filled = Math.round((WIDTH * done) / Math.max(total, 1));
      const elapsed = t - startedAt;
      const eta = done === 0 ? '?' : `${Math.ceil((elapsed / done) * (total - done) / 1000)}s`;
      stream.write(`\r\x1b[2K[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${done}/${total} ${label} ETA ${eta}`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
