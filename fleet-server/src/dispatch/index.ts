export * from './rate-limit.js';
export * from './ack-link.js';
export * from './ack-code.js';
export * from './notification-sender.js';
export * from './ack-accept.js';
export * from './ack-reply.js';
