import { describe, expect, it } from 'vitest';
import { brokerTlsConfigSchema } from '../../src/config/broker-tls-config.js';

const files = { cert: 'server.crt', key: 'server.key', ca: 'ca.crt' };

describe('broker.tls.bindClientCertToGateway', () => {
  it('is left unset by default, so readTlsMaterial turns it on with requireClientCert', () => {
    expect(brokerTlsConfigSchema.parse({ ...files, requireClientCert: true }).bindClientCertToGateway).toBeUndefined();
    expect(brokerTlsConfigSchema.parse({ ...files, requireClientCert: true, bindClientCertToGateway: false }).bindClientCertToGateway).toBe(false);
  });

  it('refuses true without requireClientCert, naming the field', () => {
    const result = brokerTlsConfigSchema.safeParse({ ...files, bindClientCertToGateway: true });
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: ['bindClientCertToGateway'], message: expect.stringMatching(/^needs requireClientCert: true/) as unknown }),
    ]);
  });
});
