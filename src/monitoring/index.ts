/** Monitoring: reads history through the Camunda 8 REST API v2, acts through the Zeebe client. */
export * from './history-client';
export * from './scope';
export * from './instances';
export * from './instance-detail';
export * from './incidents';
export * from './operations';
export * from './operator-log';
