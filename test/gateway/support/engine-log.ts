/** The engine-log helpers live in test/support (shared by every suite). */
export * from '../../support/engine-log';
