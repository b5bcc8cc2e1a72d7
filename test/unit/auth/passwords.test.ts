/**
 * The password policy (length ≥ 12 or a passphrase, at most 256, not the username) and
 * the argon2id hashes, as people and the sign-in rely on them.
 */
import {
  checkPasswordPolicy,
  generateOneTimePassword,
  hashPassword,
  verifyPassword,
} from '../../../src/auth/passwords';

const keys = (password: string, username = 'm.rossi') =>
  checkPasswordPolicy(password, { username }).map((e) => e.key);

describe('password policy', () => {
  it('refuses fewer than 12 characters and accepts a passphrase of several words', () => {
    expect(keys('Corto1!')).toEqual(['auth.password.tooShort']);
    expect(keys('abcdefghijk')).toEqual(['auth.password.tooShort']);
    expect(keys('abcdefghijkl')).toEqual([]);
    expect(keys('cane gatto topo')).toEqual([]);
  });

  it('refuses the username as password, whatever the case and surrounding spaces', () => {
    expect(keys('mario.rossi.ravenna', 'mario.rossi.ravenna')).toEqual([
      'auth.password.sameAsUsername',
    ]);
    expect(keys(' Mario.Rossi.Ravenna ', 'mario.rossi.ravenna')).toEqual([
      'auth.password.sameAsUsername',
    ]);
  });

  it('refuses more than 256 characters, naming the field', () => {
    const errors = checkPasswordPolicy('x'.repeat(257), { username: 'a' }, 'newPassword');
    expect(errors).toEqual([
      expect.objectContaining({ field: 'newPassword', key: 'auth.password.tooLong' }),
    ]);
  });

  it('makes one-time passwords that pass the policy and differ every time', () => {
    const a = generateOneTimePassword();
    expect(a).toMatch(/^[A-Za-z2-9]{4}(-[A-Za-z2-9]{4}){3}$/);
    expect(keys(a)).toEqual([]);
    expect(generateOneTimePassword()).not.toBe(a);
  });
});

describe('argon2id hashes', () => {
  it('store no clear text, verify the right password only, and never throw on a bad hash', async () => {
    const hash = await hashPassword('una frase lunga e segreta');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(hash).not.toContain('segreta');
    await expect(verifyPassword(hash, 'una frase lunga e segreta')).resolves.toBe(true);
    await expect(verifyPassword(hash, 'una frase lunga e segreta!')).resolves.toBe(false);
    await expect(verifyPassword('not-a-hash', 'x')).resolves.toBe(false);
    await expect(verifyPassword(hash, 'x'.repeat(300))).resolves.toBe(false);
  });
});
