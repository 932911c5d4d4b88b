import type { Severity } from '@edgefleet/protocol';
import type { Contact } from '../store/store-types.js';

/** One escalation step: who is texted, counted from the moment the alert was raised. */
export interface EscalationStep {
  /** Contact ids texted by this step; when absent, every site contact with `role`. */
  readonly contacts?: readonly string[];
  readonly role?: string;
  /** Delay after the raise; step 1 normally has 0. */
  readonly afterMs: number;
}

/** A site-local window "HH:MM"–"HH:MM" (end exclusive, may wrap midnight). */
export interface QuietHours {
  readonly start: string;
  readonly end: string;
  /** IANA zone of the site. */
  readonly timeZone: string;
}

export interface EscalationPolicy {
  readonly steps: readonly EscalationStep[];
  /** Each started step is repeated this often until acknowledged (EN 81-28); absent: no repeats. */
  readonly repeatMs?: number;
  /** Delays only minor and info notifications, never critical or major. */
  readonly quietHours?: QuietHours;
}

/** Severities that quiet hours never delay: a trapped passenger cannot wait for the morning. */
export const URGENT_SEVERITIES: ReadonlySet<Severity> = new Set<Severity>(['critical', 'major']);

/** The contacts of a step, in escalation order; unknown ids are skipped, not fatal. */
export function resolveStepContacts(step: EscalationStep, contacts: readonly Contact[]): Contact[] {
  const ordered = [...contacts].sort((a, b) => a.escalationOrder - b.escalationOrder || a.id.localeCompare(b.id));
  if (step.contacts) {
    const wanted = new Set(step.contacts);
    return ordered.filter((c) => wanted.has(c.id));
  }
  if (step.role !== undefined) return ordered.filter((c) => c.role === step.role);
  return [];
}
