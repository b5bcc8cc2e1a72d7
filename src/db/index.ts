export * from './database';
export * from './embedded-ferretdb';
