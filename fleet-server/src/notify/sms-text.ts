/** 3GPP TS 23.038 §6.2.1: the GSM 7-bit default alphabet (one septet each; ESC excluded). */
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
/** §6.2.1.1 extension table: ESC + char, two septets each. */
const GSM7_EXTENDED = new Set('^{}\\[~]|€\f');

/** Single-segment limits: 160 septets in GSM-7, 70 UTF-16 units in UCS-2. */
export const GSM7_SINGLE_LIMIT = 160;
export const UCS2_SINGLE_LIMIT = 70;

const ELLIPSIS = '...';
const MIN_FAULT_CHARS = 10;
const MIN_NAME_CHARS = 8;

export interface SmsLength {
  readonly encoding: 'gsm7' | 'ucs2';
  /** Septets for GSM-7, UTF-16 code units for UCS-2. */
  readonly units: number;
  readonly limit: number;
}

/** One character outside GSM-7 turns the whole message into UCS-2. */
export function measureSms(text: string): SmsLength {
  let septets = 0;
  for (const ch of text) {
    if (GSM7_BASIC.has(ch)) septets += 1;
    else if (GSM7_EXTENDED.has(ch)) septets += 2;
    else return { encoding: 'ucs2', units: text.length, limit: UCS2_SINGLE_LIMIT };
  }
  return { encoding: 'gsm7', units: septets, limit: GSM7_SINGLE_LIMIT };
}

export interface AlertSmsInput {
  readonly site: string;
  readonly device: string;
  /** The fault in words, e.g. "Entrapment: car stopped between floors". */
  readonly fault: string;
  readonly at: Date;
  /** IANA zone of the site, e.g. "Europe/Berlin": the reader thinks in local time. */
  readonly timeZone: string;
  /** The one-tap acknowledgement link; never shortened. */
  readonly ackUrl: string;
  /** The code for an "ACK <code>" reply, when the provider delivers replies; never shortened. */
  readonly replyCode?: string;
}

export interface AlertSms extends SmsLength {
  readonly text: string;
  /** True when some field was shortened to fit one segment. */
  readonly truncated: boolean;
  readonly fitsOneSegment: boolean;
}

/** "28 Nov 14:32" in the site's zone. */
export function formatLocalTime(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('day')} ${part('month')} ${part('hour')}:${part('minute')}`;
}

function shorten(text: string, chars: number): string {
  const codePoints = [...text];
  if (codePoints.length <= chars) return text;
  return `${codePoints.slice(0, Math.max(0, chars - ELLIPSIS.length)).join('').trimEnd()}${ELLIPSIS}`;
}

function compose(site: string, device: string, fault: string, time: string, ack: string): string {
  return `${site} ${device}: ${fault} ${time} ACK ${ack}`;
}

/**
 * Site, device, fault, local time and the acknowledgement link, in one segment where possible:
 * the fault is shortened first, then site and device; the time and link never are.
 */
export function composeAlertSms(input: AlertSmsInput): AlertSms {
  const time = formatLocalTime(input.at, input.timeZone);
  const ack = input.replyCode === undefined ? input.ackUrl : `${input.ackUrl} or reply ACK ${input.replyCode}`;
  const clean = (s: string): string => s.replace(/\s+/g, ' ').trim();
  const full = { fault: clean(input.fault), site: clean(input.site), device: clean(input.device) };
  const current = { ...full };
  const fits = (): boolean => {
    const m = measureSms(compose(current.site, current.device, current.fault, time, ack));
    return m.units <= m.limit;
  };
  let truncated = false;
  // Shorten one character at a time, always from the full text: septet counts are not linear in characters.
  for (const [field, min] of [['fault', MIN_FAULT_CHARS], ['site', MIN_NAME_CHARS], ['device', MIN_NAME_CHARS]] as const) {
    let chars = [...full[field]].length;
    while (!fits() && chars > min) {
      chars -= 1;
      current[field] = shorten(full[field], chars);
      truncated = true;
    }
  }
  const { site, device, fault } = current;
  const text = compose(site, device, fault, time, ack);
  const length = measureSms(text);
  return { text, ...length, truncated, fitsOneSegment: length.units <= length.limit };
}
