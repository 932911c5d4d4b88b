import os from 'node:os';

/** Nice value for the harness, socat and the sim child while they emulate a serial line. */
const LINE_PRIORITY = -10;

/**
 * A PTY-emulated line at 115200 baud needs each host round trip (sim → socat → master → socat →
 * sim) under t3.5 = 1.75 ms. Other processes on a small shared machine break that often enough to
 * add 1–4 % to the mean, so raise our priority (inherited by socat and the sim child) when the OS
 * allows it (root / CAP_SYS_NICE). Returns how to undo it, or undefined when not permitted.
 */
export function raiseLinePriority(): (() => void) | undefined {
  const previous = os.getPriority();
  try {
    os.setPriority(LINE_PRIORITY);
    return () => os.setPriority(previous);
  } catch {
    return undefined;
  }
}
