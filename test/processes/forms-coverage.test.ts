/**
 * Every form key used in processes/ has its form in forms/, and every form in forms/
 * is used by a process; the forms compile and validate the domain formats.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadFormRegistry } from '../../src/forms';

const ROOT = path.resolve(__dirname, '..', '..');

function bpmnFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return bpmnFiles(full);
    return name.endsWith('.bpmn') ? [full] : [];
  });
}

const usedFormKeys = new Set(
  bpmnFiles(path.join(ROOT, 'processes')).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/formKey="([^"]+)"/g)].map((m) => m[1]),
  ),
);
const registry = loadFormRegistry(path.join(ROOT, 'forms'));

describe('forms and processes match', () => {
  it('finds form keys in the processes', () => {
    expect(usedFormKeys.size).toBeGreaterThanOrEqual(20);
  });

  it('every form key used in processes/ has its form', () => {
    const missing = [...usedFormKeys].filter((k) => !registry.has(k));
    expect(missing).toEqual([]);
  });

  it('every form in forms/ is used by a process', () => {
    const unused = registry.formKeys().filter((k) => !usedFormKeys.has(k));
    expect(unused).toEqual([]);
  });

  it('every form has an Italian title, field titles and a field order covering its fields', () => {
    for (const key of registry.formKeys()) {
      const form = registry.get(key);
      expect(form.title.length).toBeGreaterThan(3);
      const fields = Object.keys(form.properties);
      expect([...(form['x-ui']?.order ?? [])].sort()).toEqual([...fields].sort());
      for (const f of fields) expect(typeof form.properties[f].title).toBe('string');
    }
  });
});

describe('server-side validation of submissions', () => {
  const validRequest = {
    comuneIstat: '039010',
    contractType: 'works',
    subject: 'Manutenzione straordinaria della scuola primaria',
    amount: 600000,
    cpv: '45214200-2',
    cup: 'J31B21001230006',
    awardCriterion: 'lowestPrice',
    determinaNumber: '123/2026',
    determinaDate: '2026-11-02',
    rupName: 'Mario Rossi',
    rupCodiceFiscale: 'RSSMRA80A01H501U',
    rupEmail: 'rup@comune.faenza.ra.it',
    fundingSource: 'ownFunds',
  };

  it('accepts a complete procurement request', () => {
    expect(registry.validate('procurement-request', validRequest)).toEqual({ valid: true });
  });

  it('refuses a wrong codice fiscale, CPV and an amount with three decimals, in Italian', () => {
    const result = registry.validate('procurement-request', {
      ...validRequest,
      rupCodiceFiscale: 'RSSMRA80A01H501X',
      cpv: '4521420',
      amount: 1000.123,
    });
    expect(result.valid).toBe(false);
    const errors = result.valid ? [] : result.errors;
    expect(errors.map((e) => [e.field, e.message])).toEqual([
      ['amount', 'Importo a base di gara (euro, IVA esclusa): indicare al massimo due decimali'],
      ['cpv', 'Codice CPV: il codice CPV ha la forma 12345678-9'],
      ['rupCodiceFiscale', 'Codice fiscale del RUP: non è un codice fiscale valido (16 caratteri)'],
    ]);
  });

  it('requires the CUP for works (if/then) but not for services', () => {
    const { cup: _cup, ...withoutCup } = validRequest;
    const works = registry.validate('procurement-request', withoutCup);
    expect(works.valid ? [] : works.errors.map((e) => e.field)).toEqual(['cup']);
    expect(registry.validate('procurement-request', { ...withoutCup, contractType: 'services' })).toEqual({
      valid: true,
    });
  });

  it('checks partita IVA check digits and unknown fields', () => {
    const ok = { operatorName: 'Edil Romagna srl', vatNumber: '00743110157', amount: 500000 };
    expect(registry.validate('procurement-offers', { offers: [ok] })).toEqual({ valid: true });
    const bad = registry.validate('procurement-offers', {
      offers: [{ ...ok, vatNumber: '00743110158' }],
      thresholds: { euWorks: 1 },
    });
    expect(bad.valid ? [] : bad.errors.map((e) => [e.field, e.message])).toEqual([
      [
        'offers/0/vatNumber',
        'Partita IVA: non è una partita IVA valida (11 cifre, con la cifra di controllo)',
      ],
      ['thresholds', 'non deve avere attributi aggiuntivi: thresholds'],
    ]);
  });

  it('refuses an ISTAT code that does not exist', () => {
    const r = registry.validate('procurement-request', { ...validRequest, comuneIstat: '039999' });
    expect(r.valid ? [] : r.errors.map((e) => e.field)).toEqual(['comuneIstat']);
  });

  it('accepts the start forms of EU funding and data requests, and the anomaly review', () => {
    expect(
      registry.validate('eu-funding-interest', {
        comuneIstat: '039014',
        callId: 'LIFE-2026-SAP-CLIMA',
        callTitle: 'LIFE - Adattamento ai cambiamenti climatici',
        programme: 'life',
        theme: 'environment',
        callDeadline: '2027-03-31T15:00:00Z',
        requestedAmount: 450000,
        coFinancingRate: 40,
        projectIdea: 'Forestazione urbana e rinaturalizzazione dei canali.',
        contactName: 'Elena Galli',
        contactEmail: 'ambiente@comune.ravenna.it',
      }),
    ).toEqual({ valid: true });
    const dataRequest = {
      comuneIstat: '039012',
      requesterName: 'Chiara Greco',
      requesterEmail: 'ufficio@demo.comune.lugo.ra.it',
      datasetId: 'residenti-anagrafe',
      description: 'Dati per il piano dei servizi sociali.',
      purpose: 'Programmazione dei servizi sociali comunali.',
      legalBasis: 'publicTask',
      elaboration: 'aggregate',
      outputFormat: 'both',
    };
    const missing = registry.validate('data-request', dataRequest);
    expect(missing.valid ? [] : missing.errors.map((e) => e.field)).toEqual(['aggregateBy']);
    expect(registry.validate('data-request', { ...dataRequest, aggregateBy: ['comune'] })).toEqual({
      valid: true,
    });
    expect(
      registry.validate('procurement-anomaly-review', {
        excludedOperators: ['00743110157'],
        reviewNotes: 'Giustificazioni non sufficienti sul costo della manodopera.',
      }),
    ).toEqual({ valid: true });
  });
});
