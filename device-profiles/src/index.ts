export * from './schema/index.js';
export * from './alarms/index.js';
export * from './codec/index.js';
export * from './loader/index.js';
export * from './checks/index.js';
export * from './planner/index.js';
