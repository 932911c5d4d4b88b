// An elevator card's Fault row. The controller's fault-code point says nothing of an entrapment
// or of a car stopped outside the levelling zone: those are alerts (profile rules on other
// points). So with the code at none, an open alert is the fault to show.
import type { Alert } from '../api/types.js';

export interface FaultRow {
  text: string;
  /** The text is an open alert's message, not the fault code. */
  fromAlert: boolean;
  alarm: boolean;
}

/**
 * `code` is the fault-code point's label (null without a reading), `codeText` its display text,
 * `alerts` the lift's open alerts, most severe first.
 */
export function liftFault(code: string | null, codeText: string, alerts: readonly Alert[]): FaultRow {
  if (code !== null && code !== 'none' && code !== '0') return { text: codeText, fromAlert: false, alarm: true };
  const first = alerts[0];
  if (first !== undefined) return { text: first.message, fromAlert: true, alarm: true };
  return { text: codeText, fromAlert: false, alarm: false };
}
