/**
 * A one-line spinner on stderr while the CLI waits for a gateway, drawn only on a terminal (pipes
 * and CI logs get nothing). Hand-rolled like progress-bar.ts: one line is not worth a dependency.
 */
export interface Spinner {
  stop(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function startSpinner(label: string, stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): Spinner {
  if (!stream.isTTY) return { stop: () => undefined };
  const startedAt = now();
  let frame = 0;
  const draw = (): void => {
    const seconds = Math.floor((now() - startedAt) / 1000);
    stream.write(`\r\x1b[2K${FRAMES[frame % FRAMES.length] ?? ''} ${label} ${seconds}s`);
    frame += 1;
  };
  draw();
  const timer = setInterval(draw, 100);
  return {
    stop() {
      clearInterval(timer);
      stream.write('\r\x1b[2K');
    },
  };
}
