/** Packages of models between provinces (issue 12 point 9). */
export * from './package-errors';
export * from './package-format';
export * from './zip-reader';
export * from './export-package';
export * from './import-package';
