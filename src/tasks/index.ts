/**
 * The inbox's domain (no express): tasks from user-task jobs, lists, assignment,
 * delegation, substitutes, drafts, comments, attachments, completion. See README.md.
 */
export * from './types';
export * from './errors';
export * from './inbox';
export * from './inbox-worker';
export * from './task-index';
export * from './list-query';
export * from './task-from-job';
export * from './directory';
export * from './process-catalog';
export * from './settings';
export * from './attachments';
export * from './case-notes';
export * from './drafts';
export * from './saved-views';
export * from './substitutes';
export { ChangeFeed, type FeedEntry } from './store/change-feed';
export {
  VersionedStore,
  VersionConflictError,
  type Change,
  type VersionRecord,
} from './store/versioned-store';
export * from './notifications';
