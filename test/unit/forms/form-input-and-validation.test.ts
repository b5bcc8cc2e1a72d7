/**
 * What a browser posts becomes typed form data; the server validates it with ajv,
 * Italian messages from ajv-i18n and the forms' own ajv-errors messages.
 */
import { loadFormRegistry, parseDecimal, parseDateTime, parseFormInput } from '../../../src/forms';

const registry = loadFormRegistry();

describe('parsing browser input', () => {
  test('Italian amounts, booleans, dates, and empty fields left out', () => {
    const { data, raw } = parseFormInput(registry.get('procurement-request'), {
      contractType: 'works',
      amount: '1.234.567,5',
      subject: '  Manutenzione della scuola  ',
      cup: '',
      determinaDate: '2026-11-02',
    });
    expect(data).toEqual({
      contractType: 'works',
      amount: 1234567.5,
      subject: 'Manutenzione della scuola',
      determinaDate: '2026-11-02',
    });
    expect(raw.amount).toBe('1.234.567,5');
    expect(parseDecimal('1234.56')).toBe(1234.56);
    expect(parseDecimal('1.234', true)).toBe(1234);
    expect(parseDecimal('12abc')).toBeNaN();
  });

  test('a number that is not a number stays text, so ajv names the field', () => {
    const form = registry.get('procurement-offers');
    const { data } = parseFormInput(form, {
      offers: [{ operatorName: 'Edil Romagna srl', vatNumber: '00743110157', amount: 'tanti' }],
    });
    const result = registry.validate('procurement-offers', data);
    expect(result.valid ? [] : result.errors.map((e) => [e.field, e.keyword])).toEqual([
      ['offers/0/amount', 'type'],
    ]);
    expect(result.valid ? '' : result.errors[0].message).toBe(
      'Importo offerto (euro, IVA esclusa): deve essere di tipo number',
    );
  });

  test('repeatable groups: bracketed names, empty and removed rows dropped, rows renumbered', () => {
    const { data } = parseFormInput(registry.get('procurement-offers'), {
      'offers[0][operatorName]': 'Alfa srl',
      'offers[0][vatNumber]': '00743110157',
      'offers[0][amount]': '100000',
      'offers[1][operatorName]': '',
      'offers[1][amount]': '',
      'offers[2][operatorName]': 'Beta spa',
      'offers[2][_remove]': '1',
      'offers[3][operatorName]': 'Gamma srl',
      'offers[3][amount]': '99.000,10',
      sessionNotes: 'Seduta pubblica',
    });
    expect(data).toEqual({
      offers: [
        { operatorName: 'Alfa srl', vatNumber: '00743110157', amount: 100000 },
        { operatorName: 'Gamma srl', amount: 99000.1 },
      ],
      sessionNotes: 'Seduta pubblica',
    });
  });

  test('nested objects, lists one per line, date-times typed in Rome', () => {
    const report = parseFormInput(registry.get('eu-funding-report'), {
      'report[expenditure]': '12.500,00',
      'report[activitiesSummary]': 'Attività di formazione svolte nel periodo.',
    });
    expect(report.data).toEqual({
      report: { expenditure: 12500, activitiesSummary: 'Attività di formazione svolte nel periodo.' },
    });
    const review = parseFormInput(registry.get('procurement-anomaly-review'), {
      excludedOperators: '00743110157\r\n\r\n01234567897 ',
    });
    expect(review.data.excludedOperators).toEqual(['00743110157', '01234567897']);
    expect(parseDateTime('2027-03-31T15:00')).toBe('2027-03-31T15:00:00+02:00');
    expect(parseDateTime('2027-01-31T15:00')).toBe('2027-01-31T15:00:00+01:00');
    expect(parseDateTime('2027-03-31T13:00:00Z')).toBe('2027-03-31T13:00:00Z');
  });

  test('conditional fields are decided on the server: hidden values are dropped', () => {
    const form = registry.get('procurement-document-check');
    const complete = parseFormInput(form, {
      documentsComplete: 'true',
      missingDocuments: 'typed before changing the answer',
    });
    expect(complete.data).toEqual({ documentsComplete: true });
    const incomplete = parseFormInput(form, {
      documentsComplete: 'false',
      missingDocuments: 'Manca il quadro economico',
    });
    expect(incomplete.data).toEqual({
      documentsComplete: false,
      missingDocuments: 'Manca il quadro economico',
    });
  });

  test('a nested (qs-style) body is read like a flat one', () => {
    const { data } = parseFormInput(registry.get('data-request'), {
      comuneIstat: '039012',
      elaboration: 'aggregate',
      aggregateBy: ['comune', 'classeEta'],
    });
    expect(data).toEqual({
      comuneIstat: '039012',
      elaboration: 'aggregate',
      aggregateBy: ['comune', 'classeEta'],
    });
  });
});

describe('validation', () => {
  test('a completion with {"garbage": true} is refused, naming the field', () => {
    const result = registry.validate('data-request-quality-review', { garbage: true });
    expect(result.valid).toBe(false);
    const fields = result.valid ? [] : result.errors.map((e) => e.field);
    expect(fields).toContain('garbage');
    expect(fields).toContain('qualityApproved');
  });

  test('every error names its field, in display order, with the form’s own messages', () => {
    const result = registry.validate('procurement-request', {
      comuneIstat: '039999',
      contractType: 'works',
      cpv: 'x',
      amount: 10.001,
    });
    const errors = result.valid ? [] : result.errors;
    expect(errors.slice(0, 5).map((e) => e.field)).toEqual([
      'comuneIstat',
      'subject',
      'amount',
      'cpv',
      'cup',
    ]);
    expect(errors[0].message).toBe(
      'Comune richiedente: non è il codice ISTAT di un comune esistente',
    );
    expect(errors[1]).toMatchObject({
      label: 'Oggetto dell’affidamento',
      problem: 'campo obbligatorio',
      keyword: 'required',
    });
  });

  test('English messages come from ajv-i18n too', () => {
    const result = registry.validate(
      'procurement-offers',
      { offers: [{ operatorName: 'A', vatNumber: '00743110157', amount: 5 }] },
      { locale: 'en' },
    );
    expect(result.valid ? [] : result.errors.map((e) => e.problem)).toEqual([
      'must NOT be shorter than 2 characters',
    ]);
  });

  test('partial validation for drafts: nothing required, wrong types and unknown fields still refused', () => {
    expect(registry.validate('procurement-request', { subject: 'Scuola' }, { partial: true })).toEqual(
      { valid: true },
    );
    const bad = registry.validate(
      'procurement-request',
      { amount: 'mille', thresholds: {} },
      { partial: true },
    );
    expect(bad.valid ? [] : bad.errors.map((e) => [e.field, e.keyword])).toEqual([
      ['amount', 'type'],
      ['thresholds', 'additionalProperties'],
    ]);
  });
});
