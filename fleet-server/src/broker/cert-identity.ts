import { TLSSocket } from 'node:tls';
import type { PeerCertificate } from 'node:tls';

/** SAN URI that names a gateway in its client certificate: `urn:edgefleet:gateway:<id>`. */
export const GATEWAY_URI_PREFIX = 'urn:edgefleet:gateway:';

/** The parts of node's PeerCertificate the binding reads (tests build them by hand). */
export type CertNames = Pick<PeerCertificate, 'subject' | 'subjectaltname'>;

/** What a refused binding logs: the certificate's names, never anything the client sent as a secret. */
export interface CertMismatch {
  subject: string;
  subjectAltName: string;
}

/**
 * Node's `subjectaltname`: entries joined by ", ", each `TYPE:value`; since the CVE-2021-44532
 * fix a value holding a comma, quote or control character is a JSON string (commas as \u002c),
 * so splitting on ", " cannot cut through a value and a quoted one must be decoded to compare.
 */
function subjectAltNames(san: string | undefined): { type: string; value: string }[] {
  if (san === undefined || san === '') return [];
  return san.split(', ').flatMap((entry) => {
    const colon = entry.indexOf(':');
    if (colon < 0) return [];
    const raw = entry.slice(colon + 1);
    let value = raw;
    if (raw.startsWith('"')) {
      try {
        value = JSON.parse(raw) as string;
      } catch {
        return [];
      }
    }
    return [{ type: entry.slice(0, colon), value }];
  });
}

/** Subject common names: node gives a string, or an array when the subject has several CNs. */
function commonNames(subject: PeerCertificate['subject'] | undefined): string[] {
  const cn = (subject as Partial<Record<string, string | string[]>> | undefined)?.CN;
  if (cn === undefined) return [];
  return typeof cn === 'string' ? [cn] : cn;
}

/**
 * Does the certificate name this gateway? Exactly (case-sensitive, ids are lower-case slugs):
 * a subject CN equal to the id, or a SAN URI equal to `urn:edgefleet:gateway:<id>`. DNS and IP
 * SANs never count: they name hosts, and the broker's own certificate carries them.
 */
export function certNamesGateway(cert: CertNames, gatewayId: string): boolean {
  if (commonNames(cert.subject).includes(gatewayId)) return true;
  return subjectAltNames(cert.subjectaltname).some((san) => san.type === 'URI' && san.value === `${GATEWAY_URI_PREFIX}${gatewayId}`);
}

/** "CN=gw-a, O=Acme" for logs. */
function subjectText(subject: PeerCertificate['subject'] | undefined): string {
  if (subject === undefined) return '';
  return Object.entries(subject as Record<string, string | string[]>)
    .flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((v) => `${key}=${v}`))
    .join(', ');
}

/**
 * Checks an mqtts connection's verified client certificate against the gateway id it
 * authenticates as. Undefined when it matches; the certificate's names when it does not, or when
 * there is no verified certificate (a connection that is not TLS cannot pass).
 */
export function certBindingMismatch(conn: unknown, gatewayId: string): CertMismatch | undefined {
  if (!(conn instanceof TLSSocket) || !conn.authorized) return { subject: '', subjectAltName: '' };
  const cert = conn.getPeerCertificate();
  // Without a certificate node answers {}: no names, so no match.
  if (certNamesGateway(cert, gatewayId)) return undefined;
  return { subject: subjectText(cert.subject), subjectAltName: cert.subjectaltname ?? '' };
}
