import * as z from 'zod';

/** server.yaml `broker.tls`: an mqtts listener beside the plain one (docs/server-config.md). */
export const brokerTlsConfigSchema = z
  .strictObject({
    port: z.int().min(0).max(65_535).default(8883),
    /** PEM files; relative paths are relative to dataDir. */
    cert: z.string().min(1),
    key: z.string().min(1),
    /** PEM CA bundle that client certificates must chain to. */
    ca: z.string().min(1).optional(),
    /** Refuse the TLS handshake unless the client shows a certificate signed by `ca`. */
    requireClientCert: z.boolean().default(false),
    /**
     * With requireClientCert: the certificate must name the gateway it authenticates as (CN = id,
     * or SAN URI urn:edgefleet:gateway:<id>). Unset means true; false only for a migration.
     */
    bindClientCertToGateway: z.boolean().optional(),
  })
  .superRefine((tls, ctx) => {
    if (tls.requireClientCert && tls.ca === undefined) {
      ctx.addIssue({ code: 'custom', path: ['ca'], message: 'required when requireClientCert is true (client certificates are checked against it)' });
    }
    if (tls.bindClientCertToGateway === true && !tls.requireClientCert) {
      ctx.addIssue({ code: 'custom', path: ['bindClientCertToGateway'], message: 'needs requireClientCert: true (without a client certificate there is nothing to bind)' });
    }
  });

export type BrokerTlsConfig = z.output<typeof brokerTlsConfigSchema>;
