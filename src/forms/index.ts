/**
 * JSON-Schema forms: loading (form-registry), validation with ajv + ajv-i18n + ajv-errors
 * (validation), the browser input parser (form-input) and the one server-side renderer
 * to Bootstrap Italia markup (render). API and conventions: src/forms/README.md.
 */
export * from './form-schema';
export * from './form-registry';
export * from './validation';
export * from './form-input';
export * from './render';
export { addDomainFormats, isCodiceFiscale, isPartitaIva, isIstatComune } from './formats';
