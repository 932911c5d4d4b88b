import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createSecureContext } from 'node:tls';
import type { TlsOptions } from 'node:tls';

/** server.yaml `broker.tls`: file paths, relative ones resolved against `dataDir`. */
export interface BrokerTlsFiles {
  port: number;
  cert: string;
  key: string;
  ca?: string | undefined;
  requireClientCert: boolean;
  /** Default true with requireClientCert: the certificate must name the gateway (cert-identity.ts). */
  bindClientCertToGateway?: boolean | undefined;
}

/** The PEM contents the mqtts listener is built from. */
export interface TlsMaterial {
  port: number;
  cert: Buffer;
  key: Buffer;
  ca?: Buffer;
  requireClientCert: boolean;
  /** Only ever true with requireClientCert: a gateway's verified certificate must name its id. */
  bindClientCertToGateway: boolean;
}

async function readPem(field: string, file: string, baseDir: string): Promise<Buffer> {
  const resolved = path.resolve(baseDir, file);
  let pem: Buffer;
  try {
    pem = await readFile(resolved);
  } catch (err) {
    throw new Error(`broker.tls.${field}: cannot read ${resolved}: ${(err as Error).message}`, { cause: err });
  }
  if (!pem.toString('latin1').includes('-----BEGIN ')) {
    throw new Error(`broker.tls.${field}: ${resolved} is not PEM (no "-----BEGIN" line)`);
  }
  return pem;
}

/** Reads the certificate, key and CA files; errors name the field and the file. */
export async function readTlsMaterial(files: BrokerTlsFiles, baseDir: string): Promise<TlsMaterial> {
  const [cert, key, ca] = await Promise.all([
    readPem('cert', files.cert, baseDir),
    readPem('key', files.key, baseDir),
    files.ca === undefined ? undefined : readPem('ca', files.ca, baseDir),
  ]);
  const material = {
    port: files.port, cert, key, ...(ca === undefined ? {} : { ca }),
    requireClientCert: files.requireClientCert,
    bindClientCertToGateway: files.requireClientCert && (files.bindClientCertToGateway ?? true),
  };
  try {
    // Fails here, naming the files, rather than deep in the listener (e.g. a key of another cert).
    createSecureContext(tlsServerOptions(material));
  } catch (err) {
    const names = [files.cert, files.key, ...(files.ca === undefined ? [] : [files.ca])].join(', ');
    throw new Error(`broker.tls: ${names} do not form a usable TLS identity: ${(err as Error).message}`, { cause: err });
  }
  return material;
}

/**
 * node:tls server options. With requireClientCert the handshake fails unless the client shows a
 * certificate signed by `ca`; the gateway still authenticates with its secret on top of that, and
 * (bindClientCertToGateway) the certificate must name it, checked at CONNECT by the broker.
 */
export function tlsServerOptions(material: TlsMaterial): TlsOptions {
  const options: TlsOptions = {
    cert: material.cert,
    key: material.key,
    requestCert: material.requireClientCert,
    rejectUnauthorized: material.requireClientCert,
    minVersion: 'TLSv1.2',
  };
  if (material.ca) options.ca = material.ca;
  return options;
}
