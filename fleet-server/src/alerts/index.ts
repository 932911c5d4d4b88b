export * from './escalation-policy.js';
export * from './quiet-hours.js';
export * from './flapping.js';
export * from './plan-notifications.js';
export * from './event-alerts.js';
export * from './server-rules.js';
export * from './server-state.js';
export * from './alert-engine.js';
