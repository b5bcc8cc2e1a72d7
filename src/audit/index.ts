export * from './audit-trail';
export * from './security-log';
