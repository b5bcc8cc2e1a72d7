/**
 * Domain formats for form validation: codice fiscale (codice-fiscale-js), partita IVA
 * (the Agenzia delle Entrate check digit), ISTAT comune codes (the ISTAT list).
 */
import type Ajv from 'ajv';
import * as codiceFiscaleModule from 'codice-fiscale-js';
import { findComune } from '../config/istat';

type CodiceFiscaleClass = typeof import('codice-fiscale-js').default;
// The package's types declare a default export; its CommonJS build exports { CodiceFiscale }.
const moduleExports = codiceFiscaleModule as unknown as {
  CodiceFiscale?: CodiceFiscaleClass;
  default?: CodiceFiscaleClass | { CodiceFiscale?: CodiceFiscaleClass };
};
const CodiceFiscale: CodiceFiscaleClass =
  moduleExports.CodiceFiscale ??
  (moduleExports.default as { CodiceFiscale?: CodiceFiscaleClass })?.CodiceFiscale ??
  (moduleExports.default as CodiceFiscaleClass);

export function isCodiceFiscale(value: string): boolean {
  return /^[A-Za-z0-9]{16}$/.test(value) && CodiceFiscale.check(value.toUpperCase());
}

/** Partita IVA: 11 digits whose last one is the check digit (Luhn variant of the Agenzia delle Entrate). */
export function isPartitaIva(value: string): boolean {
  if (!/^[0-9]{11}$/.test(value) || /^0{11}$/.test(value)) return false;
  let sum = 0;
  for (let i = 0; i < 10; i++) {
    const digit = Number(value[i]);
    if (i % 2 === 0) sum += digit;
    else sum += digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
  }
  return (10 - (sum % 10)) % 10 === Number(value[10]);
}

export function isIstatComune(value: string): boolean {
  return /^[0-9]{6}$/.test(value) && findComune(value) !== undefined;
}

export function addDomainFormats(ajv: Ajv): Ajv {
  ajv.addFormat('codice-fiscale', { type: 'string', validate: isCodiceFiscale });
  ajv.addFormat('partita-iva', { type: 'string', validate: isPartitaIva });
  ajv.addFormat('istat-comune', { type: 'string', validate: isIstatComune });
  return ajv;
}
