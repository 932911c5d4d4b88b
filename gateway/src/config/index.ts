export * from './gateway-config.js';
export * from './load-gateway-config.js';
export * from './check-managed.js';
export * from './size.js';
export * from './long-duration.js';
export { gatewayFileSchema, GatewayFileShape } from './gateway-file-schema.js';
export type { GatewayFile, FileSchemaContext } from './gateway-file-schema.js';
export { Credentials, LogLevel as LogLevelSchema } from './local-schema.js';
