import { missingKeys, translate } from '../../src/web/i18n';

describe('i18n', () => {
  it('has every key in Italian and English', () => {
    expect(missingKeys()).toEqual([]);
  });
  it('speaks Italian by default and fills placeholders', () => {
    expect(translate('it', 'home.comuni', { count: 5 })).toBe('5 comuni');
    expect(translate('en', 'home.comuni', { count: 5 })).toBe('5 municipalities');
  });
});
