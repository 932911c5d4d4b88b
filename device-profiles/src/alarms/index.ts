export * from './types.js';
export { conditionPoints } from './condition-points.js';
export { evaluateCondition } from './evaluate-condition.js';
export type { ConditionContext } from './evaluate-condition.js';
export { evaluateAlarms } from './evaluate-alarms.js';
export { messageNames, renderMessage } from './render-message.js';
