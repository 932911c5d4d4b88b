export * from './check-issue.js';
export * from './check-profile.js';
export * from './managed-config.js';
export * from './command-param.js';
