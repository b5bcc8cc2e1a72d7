export * from './database';
export * from './embedded-ferretdb';
export * from './ensure-index';
