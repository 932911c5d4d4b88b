export * from './profile-error.js';
export * from './parse-profile.js';
export * from './duplicate-ids.js';
export * from './registry.js';
export * from './json-schema.js';
export * from './bundled.js';
export * from './yaml-config.js';
export type { Locate, SourcePosition } from './yaml-locator.js';
