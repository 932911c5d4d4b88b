import { isGatewayId } from '@edgefleet/protocol';
import { DEFAULT_SCRYPT_COST, hashSecret, verifySecret } from './secret-hash.js';
import type { ScryptCost } from './secret-hash.js';

/** Where the broker checks a gateway's secret; the store-backed implementation comes later. */
export interface GatewayCredentials {
  verify(gatewayId: string, secret: string): Promise<boolean>;
}

/** In-memory credentials: secrets are kept only as scrypt hashes. */
export class MemoryCredentials implements GatewayCredentials {
  private readonly hashes = new Map<string, string>();
  // Unknown gateways are checked against this so they cost the same time as a wrong secret.
  private readonly decoy: Promise<string>;

  constructor(private readonly cost: ScryptCost = DEFAULT_SCRYPT_COST) {
    this.decoy = hashSecret('decoy', cost);
  }

  /** Hashes and stores (or replaces) the secret of `gatewayId`. */
  async add(gatewayId: string, secret: string): Promise<void> {
    if (!isGatewayId(gatewayId)) throw new RangeError(`invalid gateway id "${gatewayId}": must be a lower-case slug`);
    if (secret.length === 0) throw new RangeError(`gateway "${gatewayId}": empty secret`);
    this.hashes.set(gatewayId, await hashSecret(secret, this.cost));
  }

  /** Stores an already hashed secret (format `scrypt$N$r$p$salt$hash`). */
  addHash(gatewayId: string, hash: string): void {
    if (!isGatewayId(gatewayId)) throw new RangeError(`invalid gateway id "${gatewayId}": must be a lower-case slug`);
    this.hashes.set(gatewayId, hash);
  }

  remove(gatewayId: string): boolean {
    return this.hashes.delete(gatewayId);
  }

  async verify(gatewayId: string, secret: string): Promise<boolean> {
    const stored = this.hashes.get(gatewayId);
    if (stored === undefined) {
      await verifySecret(secret, await this.decoy);
      return false;
    }
    return verifySecret(secret, stored);
  }
}
