export { startGateway, GATEWAY_VERSION } from './main.js';
export type { RunningGateway, StartOptions } from './main.js';
export { loadGatewayConfig } from './config/load-gateway-config.js';
export type { GatewayConfig } from './config/gateway-config.js';
export * from './outbox/index.js';
