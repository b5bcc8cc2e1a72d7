export * from './audit-trail';
export { ensureIndex } from './ensure-index';
