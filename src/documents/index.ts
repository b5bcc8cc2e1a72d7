export * from './templates';
export * from './document-store';
export * from './pdf';
