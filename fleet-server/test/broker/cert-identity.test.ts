import { describe, expect, it } from 'vitest';
import { certBindingMismatch, certNamesGateway } from '../../src/broker/cert-identity.js';
import type { CertNames } from '../../src/broker/cert-identity.js';

/** A certificate as node's getPeerCertificate() shows it (subject has a null prototype there too). */
function cert(subject: Record<string, string | string[]>, subjectaltname?: string): CertNames {
  return { subject: Object.assign(Object.create(null) as object, subject), ...(subjectaltname === undefined ? {} : { subjectaltname }) } as CertNames;
}

describe('certNamesGateway', () => {
  it.each([
    ['the subject CN', cert({ CN: 'gw-a', O: 'Acme' }), true],
    ['one of several subject CNs', cert({ CN: ['box-0042', 'gw-a'] }), true],
    ['a SAN URI urn:edgefleet:gateway:<id>', cert({ CN: 'box-0042' }, 'DNS:box.example, URI:urn:edgefleet:gateway:gw-a'), true],
    ['a SAN URI node had to quote, decoded', cert({ CN: 'x' }, 'URI:"urn:edgefleet:gateway:gw-a"'), true],
    ['another gateway as CN', cert({ CN: 'gw-b' }), false],
    ['a CN differing in case', cert({ CN: 'GW-A' }), false],
    ['a CN that only starts with the id', cert({ CN: 'gw-a.example' }), false],
    ['another gateway as SAN URI', cert({ CN: 'x' }, 'URI:urn:edgefleet:gateway:gw-b'), false],
    ['a DNS SAN equal to the id', cert({ CN: 'x' }, 'DNS:gw-a'), false],
    ['the id inside an OU', cert({ OU: 'gw-a' }), false],
    ['a SAN URI with a longer id', cert({}, 'URI:urn:edgefleet:gateway:gw-a2'), false],
    // Node quotes a value holding a comma and escapes the comma: a forged entry cannot be split out.
    ['a SAN URI entry smuggled inside a quoted one', cert({}, 'URI:"x\\u002c URI:urn:edgefleet:gateway:gw-a\\u002c y"'), false],
    ['no certificate ({})', {} as CertNames, false],
  ])('%s → %s', (_name, names, expected) => {
    expect(certNamesGateway(names, 'gw-a')).toBe(expected);
  });
});

describe('certBindingMismatch', () => {
  it('fails a connection that is not TLS (there is no certificate to name anyone)', () => {
    expect(certBindingMismatch({ remoteAddress: '127.0.0.1' }, 'gw-a')).toEqual({ subject: '', subjectAltName: '' });
  });
});
