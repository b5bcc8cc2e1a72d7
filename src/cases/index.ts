/**
 * Case files (fascicoli) and requests from the comuni (start forms). No express here.
 */
export * from './case-file';
export * from './requests';
export * from './engine-history';
export * from './services';
