/**
 * Passwords: argon2id hashes (@node-rs/argon2, OWASP parameters) and the password
 * policy. Passwords are never logged and never stored in clear.
 */
import { randomInt } from 'node:crypto';
import { hash, verify, type Algorithm, type Options } from '@node-rs/argon2';
import type { FieldError } from '../errors';

// OWASP Password Storage Cheat Sheet: argon2id, m = 19 MiB, t = 2, p = 1.
const ARGON2ID = 2 as Algorithm; // the package's const enum cannot be imported with isolatedModules
const HASH_OPTIONS: Options = {
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

export const PASSWORD_MIN_LENGTH = 12;
/** Longer inputs are refused before hashing, so nobody can make argon2 chew megabytes. */
export const PASSWORD_MAX_LENGTH = 256;

export function hashPassword(password: string): Promise<string> {
  return hash(password, HASH_OPTIONS);
}

/** False (never an exception) for a wrong password or a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  if (password.length > PASSWORD_MAX_LENGTH) return false;
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;
/**
 * Spends the time of one verification against a throw-away hash, so that "no such
 * user" answers as slowly as "wrong password" (no username probing by timing).
 */
export async function verifyAgainstDummy(password: string): Promise<void> {
  dummyHash ??= hashPassword('not-a-password-of-anybody');
  await verifyPassword(await dummyHash, password);
}

/**
 * The policy: at least 12 characters (a passphrase of several words, spaces included,
 * is the easiest way there), at most 256, and not the username. Returns the problems
 * (empty when the password is acceptable).
 */
export function checkPasswordPolicy(
  password: string,
  ctx: { username: string },
  field = 'password',
): FieldError[] {
  const errors: FieldError[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) {
    errors.push({
      field,
      message: `must be at least ${PASSWORD_MIN_LENGTH} characters long (or a passphrase)`,
      key: 'auth.password.tooShort',
      params: { min: PASSWORD_MIN_LENGTH },
    });
  } else if (password.length > PASSWORD_MAX_LENGTH) {
    errors.push({
      field,
      message: `must be at most ${PASSWORD_MAX_LENGTH} characters long`,
      key: 'auth.password.tooLong',
      params: { max: PASSWORD_MAX_LENGTH },
    });
  }
  if (password.trim().toLowerCase() === ctx.username.trim().toLowerCase()) {
    errors.push({
      field,
      message: 'must not be the username',
      key: 'auth.password.sameAsUsername',
    });
  }
  return errors;
}

// No look-alike characters (0/O, 1/l/I), so a one-time password can be read out loud.
const OTP_ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A one-time password: 4 groups of 4 characters (~92 bits), to be changed at first sign-in. */
export function generateOneTimePassword(): string {
  const groups: string[] = [];
  for (let g = 0; g < 4; g++) {
    let group = '';
    for (let i = 0; i < 4; i++) group += OTP_ALPHABET[randomInt(OTP_ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}
