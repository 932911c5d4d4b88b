import type { PointValue } from '../codec/index.js';
import type { Severity } from '../schema/index.js';

/** ARCHITECTURE.md "Time, quality, identity": values are marked, never silently repeated. */
export type Quality = 'good' | 'stale' | 'comm-fail';

/** One point's value as read, with the time it was read (ms since epoch) and its quality. */
export interface Reading {
  value: PointValue;
  quality: Quality;
  ts: number;
}

/** Where one alarm rule stands. Times are the `now` of evaluateAlarms(), never the wall clock. */
export interface RuleState {
  active: boolean;
  /** Inactive: start of the current unbroken run of `when` holding (for `for`). */
  pendingSince?: number;
  /** Active: start of the current unbroken run of the clear condition holding (for `clearFor`). */
  clearPendingSince?: number;
  /** Active: when the alarm was raised. */
  raisedAt?: number;
}

/** Everything the evaluator remembers between calls; plain data, so it can be persisted as JSON. */
export interface AlarmState {
  /** By rule id. */
  rules: Record<string, RuleState>;
  /** Latest reading of each point, whatever its quality. */
  values: Record<string, Reading>;
  /** Last good value of each point, which `changed` compares a new reading with. */
  previous: Record<string, PointValue>;
}

export interface AlarmEvent {
  rule: string;
  kind: 'raise' | 'clear';
  severity: Severity;
  at: number;
  message: string;
  /** Good values of the points the rule names (conditions and message), at the time of the event. */
  values: Record<string, PointValue>;
}

export function initialAlarmState(): AlarmState {
  return { rules: {}, values: {}, previous: {} };
}
