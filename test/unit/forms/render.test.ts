/**
 * The one server-side renderer: JSON Schema + x-ui hints → Bootstrap Italia markup,
 * with the error summary at the top and a message next to each field.
 */
import {
  loadFormRegistry,
  parseFormInput,
  renderForm,
  renderFormFields,
  type FieldError,
} from '../../../src/forms';
import { translate } from '../../../src/web/i18n';

const registry = loadFormRegistry();
const t = (key: string, params?: Record<string, unknown>) => translate('it', key, params);
const ids = (html: string) => new Set([...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]));

describe('form renderer', () => {
  test('every form renders, every input has a label or legend, ids are unique', () => {
    for (const key of registry.formKeys()) {
      const html = renderFormFields(registry.get(key), { t, comuni: [{ istat: '039010', name: 'Faenza' }] });
      const all = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
      expect(new Set(all).size).toBe(all.length);
      for (const m of html.matchAll(/<(input|select|textarea)[^>]* id="([^"]+)"/g)) {
        if (/type="hidden"/.test(m[0])) continue;
        expect(html).toContain(`for="${m[2]}"`);
      }
    }
  });

  test('an invalid submission: summary linking to each field, message next to it', () => {
    const form = registry.get('procurement-document-check');
    const { data, raw } = parseFormInput(form, { documentsComplete: 'false', checkNotes: 'ok' });
    const result = registry.validate('procurement-document-check', data);
    expect(result.valid).toBe(false);
    const errors = result.valid ? [] : result.errors;
    const html = renderFormFields(form, { t, values: data, raw, errors });
    expect(html).toMatch(/role="alert"[^>]*data-pc-error-summary/);
    expect(html).toContain('Il modulo contiene un errore');
    expect(html).toContain(
      '<a href="#f-missingDocuments">Documenti mancanti o da correggere: campo obbligatorio</a>',
    );
    expect(html).toMatch(
      /<textarea[^>]*id="f-missingDocuments"[^>]*aria-describedby="[^"]*f-missingDocuments-error"[^>]*aria-invalid="true"/,
    );
    expect(html).toContain('<div class="invalid-feedback d-block" id="f-missingDocuments-error">Campo obbligatorio</div>');
    // The answer given stays chosen; the conditional field is active.
    expect(html).toMatch(/<input type="radio" id="f-documentsComplete-1" name="documentsComplete" value="false" checked/);
    expect(html).toMatch(/data-pc-show-if="documentsComplete" data-pc-show-value="false">/);
  });

  test('a conditional field that does not apply is marked inactive (the script hides it)', () => {
    const html = renderFormFields(registry.get('procurement-document-check'), {
      t,
      values: { documentsComplete: true },
    });
    expect(html).toMatch(/data-pc-show-if="documentsComplete" data-pc-show-value="false" data-pc-inactive>/);
    expect(html).toContain('Da compilare se «La documentazione è completa?» è «No».');
  });

  test('euro amounts with two decimals, dates, enums as radios or selects, Italian labels', () => {
    const values = { amount: 1234.5, determinaDate: '2026-11-02', contractType: 'services', fundingSource: 'pnrr' };
    const html = renderFormFields(registry.get('procurement-request'), { t, values });
    expect(html).toMatch(/<span class="input-group-text" aria-hidden="true">€<\/span><input id="f-amount"[^>]*inputmode="decimal" value="1234,50"/);
    expect(html).toMatch(/<input id="f-determinaDate"[^>]*type="date" value="2026-11-02"/);
    expect(html).toMatch(/type="radio" id="f-contractType-1" name="contractType" value="services" checked/);
    expect(html).toContain('<label for="f-contractType-3">Servizi sociali e altri servizi specifici</label>');
    expect(html).toMatch(/<option value="pnrr" selected>PNRR<\/option>/);
  });

  test('repeatable groups: a spare row when empty, one fieldset per row, add and remove', () => {
    const form = registry.get('procurement-offers');
    const empty = renderFormFields(form, { t });
    expect(empty.match(/data-pc-row/g)).toHaveLength(1);
    expect(empty).toContain('name="offers[0][operatorName]"');
    const two = renderFormFields(form, {
      t,
      values: { offers: [{ operatorName: 'A srl' }, { operatorName: 'B srl', amount: 10 }] },
      extraRows: { offers: 1 },
    });
    expect(two.match(/data-pc-row/g)).toHaveLength(3);
    expect(two).toContain('value="B srl"');
    expect(two).toContain('name="offers[1][_remove]"');
    expect(two).toMatch(/<button type="submit"[^>]*name="_action" value="add-row:offers"/);
    // Errors of a row field link to that field.
    const errors: FieldError[] = [
      { field: 'offers/1/vatNumber', label: 'Partita IVA', problem: 'campo obbligatorio', message: 'Partita IVA: campo obbligatorio', keyword: 'required' },
    ];
    const withError = renderFormFields(form, { t, values: { offers: [{}, {}] }, errors });
    expect(withError).toContain('<a href="#f-offers-1-vatNumber">');
    expect(ids(withError).has('f-offers-1-vatNumber')).toBe(true);
  });

  test('nested objects become fieldsets with bracketed names', () => {
    const html = renderFormFields(registry.get('eu-funding-report'), {
      t,
      values: { report: { expenditure: 12500 } },
    });
    expect(html).toMatch(/<fieldset class="mb-4 pc-group" id="f-report"><legend class="h6">Rendiconto/);
    expect(html).toMatch(/name="report\[expenditure\]"[^>]*value="12500,00"/);
  });

  test('file fields: files already stored are kept by default and downloadable', () => {
    const html = renderForm(registry.get('procurement-integration'), {
      t,
      action: '/attivita/1',
      values: { integratedDocuments: ['quadro-economico.pdf'] },
      files: { integratedDocuments: [{ name: 'quadro-economico.pdf', href: '/allegati/abc' }] },
      hidden: { _csrf: 'token', version: '3' },
    });
    expect(html).toMatch(/<form method="post" action="\/attivita\/1" enctype="multipart\/form-data" novalidate/);
    expect(html).toMatch(/<input type="hidden" name="_csrf" value="token"><input type="hidden" name="version" value="3">/);
    expect(html).toMatch(/type="checkbox" id="f-integratedDocuments-keep-0" name="integratedDocuments\[\]" value="quadro-economico.pdf" checked/);
    expect(html).toContain('<a href="/allegati/abc">quadro-economico.pdf</a>');
    expect(html).toMatch(/type="file" id="f-integratedDocuments" name="integratedDocuments__upload"[^>]* multiple/);
  });

  test('read-only context from process variables, values escaped, read-only mode has no inputs', () => {
    const html = renderFormFields(registry.get('procurement-document-check'), {
      t,
      context: { subject: 'Scuola <b>media</b>', amount: 600000, contractType: 'works', documents: ['a.pdf', 'b.pdf'] },
      values: { checkNotes: '"><script>alert(1)</script>' },
    });
    expect(html).toContain('<dt class="col-sm-4">Oggetto</dt><dd class="col-sm-8">Scuola &lt;b&gt;media&lt;/b&gt;</dd>');
    expect(html).toMatch(/<dd class="col-sm-8">600\.000,00\s€<\/dd>/);
    expect(html).toContain('<dd class="col-sm-8">Lavori</dd>');
    expect(html).toContain('<dd class="col-sm-8">a.pdf, b.pdf</dd>');
    expect(html).not.toContain('<script>');
    const readOnly = renderForm(registry.get('procurement-document-check'), {
      t,
      action: '/x',
      readOnly: true,
      values: { documentsComplete: true, checkNotes: 'Tutto in ordine' },
    });
    expect(readOnly).not.toMatch(/<(input|textarea|select|button)/);
    expect(readOnly).toContain('Tutto in ordine');
  });

  test('a comune user sees their comune, not a choice', () => {
    const html = renderFormFields(registry.get('procurement-request'), {
      t,
      fixedComune: { istat: '039010', name: 'Faenza' },
      comuni: [{ istat: '039010', name: 'Faenza' }, { istat: '039014', name: 'Ravenna' }],
    });
    expect(html).toContain('<input type="hidden" name="comuneIstat" value="039010">');
    expect(html).not.toContain('Ravenna');
  });
});
