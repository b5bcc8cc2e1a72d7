export * from './templates';
export * from './document-store';
