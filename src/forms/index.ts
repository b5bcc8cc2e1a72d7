export * from './form-registry';
export { addDomainFormats, isCodiceFiscale, isPartitaIva, isIstatComune } from './formats';
