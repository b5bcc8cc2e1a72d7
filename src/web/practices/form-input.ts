/**
 * The publish/edit form of a good practice: its fields (flat names, numbered rows for
 * figures and contacts) to the domain's input, and back for re-rendering.
 */
import { parseModelRef, type PracticeDoc, type PracticeInput } from '../../practices';

export const FIGURE_ROWS = 3;
export const CONTACT_ROWS = 2;

const text = (v: unknown): string =>
  typeof v === 'string' ? v : Array.isArray(v) ? String(v[0] ?? '') : '';

export function list(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  return typeof v === 'string' && v ? [v] : [];
}

/** Form body → the domain's input (the domain checks it). */
export function inputFromForm(body: Record<string, unknown>): Record<string, unknown> {
  const figures = [];
  for (let i = 0; i < FIGURE_ROWS; i++) {
    const label = text(body[`figureLabel${i}`]).trim();
    const value = text(body[`figureValue${i}`]).trim().replace(',', '.');
    const unit = text(body[`figureUnit${i}`]).trim();
    if (label || value || unit) figures.push({ label, value, ...(unit ? { unit } : {}) });
  }
  const contacts = [];
  for (let i = 0; i < CONTACT_ROWS; i++) {
    const name = text(body[`contactName${i}`]).trim();
    const email = text(body[`contactEmail${i}`]).trim();
    const phone = text(body[`contactPhone${i}`]).trim();
    if (name || email || phone) contacts.push({ name, email, ...(phone ? { phone } : {}) });
  }
  return {
    name: text(body.name),
    version: text(body.version),
    licence: text(body.licence),
    maturity: text(body.maturity),
    maintainer: { name: text(body.maintainerName), email: text(body.maintainerEmail) },
    languages: list(body.languages),
    serviceLine: text(body.serviceLine),
    theme: text(body.theme),
    summary: text(body.summary),
    problem: text(body.problem),
    solution: text(body.solution),
    results: text(body.results),
    figures,
    contacts,
  };
}

/** The models ticked for the package ("bpmn:procurement"), unknown values dropped. */
export function packageModelsFromForm(body: Record<string, unknown>) {
  return list(body.models).flatMap((v) => {
    const ref = parseModelRef(v);
    return ref ? [ref] : [];
  });
}

/** Values for the form's fields, from an entry or from what was posted. */
export function formValues(source: Partial<PracticeInput> | Record<string, unknown>) {
  const s = source as Partial<PracticeInput>;
  const figures = Array.from({ length: FIGURE_ROWS }, (_, i) => ({
    i,
    label: s.figures?.[i]?.label ?? '',
    value: s.figures?.[i]?.value ?? '',
    unit: s.figures?.[i]?.unit ?? '',
  }));
  const contacts = Array.from({ length: CONTACT_ROWS }, (_, i) => ({
    i,
    name: s.contacts?.[i]?.name ?? '',
    email: s.contacts?.[i]?.email ?? '',
    phone: s.contacts?.[i]?.phone ?? '',
  }));
  return {
    name: s.name ?? '',
    version: s.version ?? '1.0.0',
    licence: s.licence ?? 'EUPL-1.2',
    maturity: s.maturity ?? 'stable',
    maintainerName: s.maintainer?.name ?? '',
    maintainerEmail: s.maintainer?.email ?? '',
    languages: s.languages ?? ['it'],
    serviceLine: s.serviceLine ?? '',
    theme: s.theme ?? '',
    summary: s.summary ?? '',
    problem: s.problem ?? '',
    solution: s.solution ?? '',
    results: s.results ?? '',
    figures,
    contacts,
  };
}

export function entryValues(doc: PracticeDoc) {
  return formValues(doc);
}
