import { isGatewayId } from '@edgefleet/protocol';
import type { Store } from '../store/store.js';
import type { GatewayCredentials } from './credentials.js';
import { DEFAULT_SCRYPT_COST, hashSecret, verifySecret } from './secret-hash.js';
import type { ScryptCost } from './secret-hash.js';

/**
 * Credentials read from the store's gateways table at every CONNECT, so a gateway enrolled or
 * re-keyed at runtime connects without a restart and a removed one is refused at once. The
 * hashes stay in the store: nothing is cached here.
 */
export class StoreCredentials implements GatewayCredentials {
  // Unknown gateways are checked against this so they cost the same time as a wrong secret
  // (otherwise the answer time tells which gateway ids exist).
  private readonly decoy: Promise<string>;

  constructor(
    private readonly store: Pick<Store, 'getGateway'>,
    cost: ScryptCost = DEFAULT_SCRYPT_COST,
  ) {
    this.decoy = hashSecret('decoy', cost);
  }

  async verify(gatewayId: string, secret: string): Promise<boolean> {
    // A malformed id cannot be in the table; it still pays the decoy.
    const gateway = isGatewayId(gatewayId) ? await this.store.getGateway(gatewayId) : undefined;
    if (gateway === undefined || gateway.secretHash === '') {
      await verifySecret(secret, await this.decoy);
      return false;
    }
    return verifySecret(secret, gateway.secretHash);
  }
}
