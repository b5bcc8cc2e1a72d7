/**
 * What a province writes when it publishes a good practice, and how it is checked.
 * The metadata follow the spirit of publiccode.yml (name, version, licence, maturity =
 * developmentStatus, maintainer, available languages); the description has the
 * problem, the solution, the results with figures and the contacts.
 *
 * Every refusal names its field with an i18n key (`practices.error.*`), and nothing is
 * written: the store validates before it touches the database.
 */
import { PROCESS_LINES } from '../config';
import { ValidationError, type FieldError } from '../errors';

/** publiccode.yml's developmentStatus values. */
export const MATURITY = ['concept', 'development', 'beta', 'stable', 'obsolete'] as const;
export type Maturity = (typeof MATURITY)[number];

/** The four service lines of the project, plus practices that span them. */
export const SERVICE_LINES = [...PROCESS_LINES, 'cross-cutting'] as const;
export type ServiceLine = (typeof SERVICE_LINES)[number];

/** Themes of the catalogue (labels in the i18n catalogue: practices.theme.<id>). */
export const THEMES = [
  'digitalisation',
  'organisation',
  'transparency',
  'data',
  'funding',
  'capacity-building',
  'ecological-transition',
] as const;
export type Theme = (typeof THEMES)[number];

/** Languages a practice's material may be available in (ISO 639-1). */
export const LANGUAGES = ['it', 'en', 'de', 'fr', 'sl'] as const;

export interface Figure {
  label: string;
  value: number;
  unit?: string;
}

export interface Contact {
  name: string;
  email: string;
  phone?: string;
}

/** The editable part of an entry. */
export interface PracticeInput {
  name: string;
  /** Semantic version of the practice (publiccode.yml softwareVersion). */
  version: string;
  /** SPDX identifier (EUPL-1.2 for models, CC-BY-4.0 for documents are the usual ones). */
  licence: string;
  maturity: Maturity;
  maintainer: { name: string; email?: string };
  languages: string[];
  serviceLine: ServiceLine;
  theme: Theme;
  /** At most 150 characters, like publiccode.yml's shortDescription. */
  summary: string;
  problem: string;
  solution: string;
  results: string;
  figures: Figure[];
  contacts: Contact[];
}

const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+\.[A-Za-z]{2,}$/;
const SEMVER = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;
const SPDX = /^[A-Za-z0-9][A-Za-z0-9.+-]{1,63}$/;

export const LIMITS = {
  name: [3, 120],
  summary: [10, 150],
  longText: [20, 10_000],
  figures: 10,
  contacts: 5,
} as const;

class Checker {
  readonly errors: FieldError[] = [];

  fail(field: string, code: string, message: string, params: Record<string, unknown> = {}) {
    this.errors.push({
      field,
      message: `${field}: ${message}`,
      key: `practices.error.${code}`,
      params,
    });
  }

  text(field: string, value: unknown, [min, max]: readonly [number, number]): string {
    const s = typeof value === 'string' ? value.trim() : '';
    if (s.length < min || s.length > max)
      this.fail(field, 'length', `between ${min} and ${max} characters`, { min, max });
    return s;
  }

  optionalText(field: string, value: unknown, max: number): string | undefined {
    if (value === undefined || value === null || value === '') return undefined;
    const s = typeof value === 'string' ? value.trim() : '';
    if (s.length > max) this.fail(field, 'length', `at most ${max} characters`, { min: 0, max });
    return s || undefined;
  }

  oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
      this.fail(field, 'choice', `one of ${allowed.join(', ')}`, { allowed: allowed.join(', ') });
    return value as T;
  }

  email(field: string, value: unknown, required: boolean): string | undefined {
    const s = typeof value === 'string' ? value.trim() : '';
    if (!s) {
      if (required) this.fail(field, 'email', 'an e-mail address');
      return undefined;
    }
    if (!EMAIL.test(s) || s.length > 200) this.fail(field, 'email', 'an e-mail address');
    return s;
  }
}

/** Checks a complete entry; throws ValidationError listing every bad field. */
export function checkPracticeInput(raw: unknown): PracticeInput {
  const v = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const c = new Checker();
  const name = c.text('name', v.name, LIMITS.name);
  const version = typeof v.version === 'string' ? v.version.trim() : '';
  if (!SEMVER.test(version)) c.fail('version', 'version', 'a semantic version such as 1.0.0');
  const licence = typeof v.licence === 'string' ? v.licence.trim() : '';
  if (!SPDX.test(licence)) c.fail('licence', 'licence', 'an SPDX identifier such as EUPL-1.2');
  const maturity = c.oneOf('maturity', v.maturity, MATURITY);
  const m = (v.maintainer && typeof v.maintainer === 'object' ? v.maintainer : {}) as Record<
    string,
    unknown
  >;
  const maintainer = {
    name: c.text('maintainer.name', m.name, [2, 120]),
    email: c.email('maintainer.email', m.email, false),
  };
  const languages = Array.isArray(v.languages) ? [...new Set(v.languages)] : [];
  if (
    languages.length === 0 ||
    languages.some((l) => !(LANGUAGES as readonly unknown[]).includes(l))
  )
    c.fail('languages', 'languages', `one or more of ${LANGUAGES.join(', ')}`, {
      allowed: LANGUAGES.join(', '),
    });
  const serviceLine = c.oneOf('serviceLine', v.serviceLine, SERVICE_LINES);
  const theme = c.oneOf('theme', v.theme, THEMES);
  const summary = c.text('summary', v.summary, LIMITS.summary);
  const problem = c.text('problem', v.problem, LIMITS.longText);
  const solution = c.text('solution', v.solution, LIMITS.longText);
  const results = c.text('results', v.results, LIMITS.longText);

  const figures: Figure[] = [];
  const rawFigures = Array.isArray(v.figures) ? v.figures : [];
  if (rawFigures.length > LIMITS.figures)
    c.fail('figures', 'tooMany', `at most ${LIMITS.figures}`, { max: LIMITS.figures });
  rawFigures.slice(0, LIMITS.figures).forEach((f: unknown, i) => {
    const o = (f && typeof f === 'object' ? f : {}) as Record<string, unknown>;
    const label = c.text(`figures.${i}.label`, o.label, [2, 120]);
    const value = typeof o.value === 'string' && o.value.trim() !== '' ? Number(o.value) : o.value;
    if (typeof value !== 'number' || !Number.isFinite(value))
      c.fail(`figures.${i}.value`, 'number', 'a number');
    const unit = c.optionalText(`figures.${i}.unit`, o.unit, 30);
    figures.push({ label, value: value as number, ...(unit ? { unit } : {}) });
  });
  if (figures.length === 0)
    c.fail('figures', 'figures', 'at least one figure that measures the results');

  const contacts: Contact[] = [];
  const rawContacts = Array.isArray(v.contacts) ? v.contacts : [];
  if (rawContacts.length === 0) c.fail('contacts', 'contacts', 'at least one contact');
  if (rawContacts.length > LIMITS.contacts)
    c.fail('contacts', 'tooMany', `at most ${LIMITS.contacts}`, { max: LIMITS.contacts });
  rawContacts.slice(0, LIMITS.contacts).forEach((x: unknown, i) => {
    const o = (x && typeof x === 'object' ? x : {}) as Record<string, unknown>;
    const phone = c.optionalText(`contacts.${i}.phone`, o.phone, 30);
    if (phone && !/^[+0-9 ()./-]{5,30}$/.test(phone))
      c.fail(`contacts.${i}.phone`, 'phone', 'a telephone number');
    contacts.push({
      name: c.text(`contacts.${i}.name`, o.name, [2, 120]),
      email: c.email(`contacts.${i}.email`, o.email, true) ?? '',
      ...(phone ? { phone } : {}),
    });
  });

  if (c.errors.length > 0) {
    throw new ValidationError(
      `invalid good practice: ${c.errors.map((e) => e.message).join('; ')}`,
      c.errors,
    );
  }
  return {
    name,
    version,
    licence,
    maturity,
    maintainer: maintainer.email ? maintainer : { name: maintainer.name },
    languages: languages as string[],
    serviceLine,
    theme,
    summary,
    problem,
    solution,
    results,
    figures,
    contacts,
  };
}
