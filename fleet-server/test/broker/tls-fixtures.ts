import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface TestPki {
  dir: string;
  /** PEM file paths. */
  files: { caCert: string; serverCert: string; serverKey: string; clientCert: string; clientKey: string; otherCaCert: string };
  /** client: CN=gw-a. clientB: CN=box-0042, SAN URI urn:edgefleet:gateway:gw-b and DNS:gw-a (a DNS name must not count). */
  pem: { caCert: Buffer; clientCert: Buffer; clientKey: Buffer; clientBCert: Buffer; clientBKey: Buffer; otherCaCert: Buffer };
}

/** Is the openssl CLI on PATH? (The TLS tests need it to make their certificates.) */
export function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * A throwaway CA, a server certificate for 127.0.0.1/localhost and two gateway client
 * certificates, all signed by it, plus an unrelated CA: made with the openssl CLI in a temp dir
 * (P-256, 1 day).
 */
export async function makeTestPki(): Promise<TestPki> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'edgefleet-pki-'));
  const f = (name: string): string => path.join(dir, name);
  const run = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  run('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=edgefleet test CA');
  run('req', '-x509', ...ec, '-keyout', 'other-ca.key', '-out', 'other-ca.crt', '-days', '1', '-subj', '/CN=someone else');
  await writeFile(f('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await writeFile(f('client-b.ext'), 'subjectAltName=URI:urn:edgefleet:gateway:gw-b,DNS:gw-a\n');
  const certs = [
    ['server', 'localhost', ['-extfile', 'server.ext']],
    ['client', 'gw-a', []],
    ['client-b', 'box-0042', ['-extfile', 'client-b.ext']],
  ] as const;
  for (const [name, cn, ext] of certs) {
    run('req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    run('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`, '-days', '1', ...ext);
  }
  const files = {
    caCert: f('ca.crt'), serverCert: f('server.crt'), serverKey: f('server.key'),
    clientCert: f('client.crt'), clientKey: f('client.key'), otherCaCert: f('other-ca.crt'),
  };
  return {
    dir,
    files,
    pem: {
      caCert: await readFile(files.caCert), clientCert: await readFile(files.clientCert),
      clientKey: await readFile(files.clientKey), otherCaCert: await readFile(files.otherCaCert),
      clientBCert: await readFile(f('client-b.crt')), clientBKey: await readFile(f('client-b.key')),
    },
  };
}
