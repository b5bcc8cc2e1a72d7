export * from './env';
export * from './istat';
export * from './load-config';
export { ROLES, PROCESS_LINES, type Role } from './schema/province';
