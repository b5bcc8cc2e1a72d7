/**
 * Signing in with a username and password, and changing one's password.
 *
 * The answer never tells whether a username exists: unknown user, wrong password and
 * deactivated account all answer "invalid" after the same argon2 work. Every attempt is
 * written to the security log.
 */
import type { SecurityLog } from '../audit/security-log';
import { ValidationError } from '../errors';
import { normalizeUsername, type Account, type AccountStore } from './accounts';
import type { Lockout } from './lockout';
import {
  checkPasswordPolicy,
  hashPassword,
  PASSWORD_MAX_LENGTH,
  verifyAgainstDummy,
  verifyPassword,
} from './passwords';

export type SignInResult =
  | { ok: true; account: Account }
  | { ok: false; reason: 'invalid'; justLocked?: Date }
  | { ok: false; reason: 'locked'; lockedUntil: Date };

export interface SignInDeps {
  accounts: AccountStore;
  lockout: Lockout;
  securityLog: SecurityLog;
  now?: () => Date;
}

export async function signInWithPassword(
  deps: SignInDeps,
  input: { username: string; password: string; ip?: string },
): Promise<SignInResult> {
  const now = deps.now ?? (() => new Date());
  const username = normalizeUsername(input.username).slice(0, 100);
  const password = input.password ?? '';
  const lockedUntil = await deps.lockout.lockedUntil(username);
  const account = username ? await deps.accounts.findByUsername(username) : undefined;
  const base = {
    actor: { username, accountId: account?.id },
    ip: input.ip,
    tenantId: account?.tenantId,
  };

  if (lockedUntil) {
    await deps.securityLog.record({
      ...base,
      action: 'auth.sign-in.refused-locked',
      outcome: 'denied',
      reason: `locked until ${lockedUntil.toISOString()}`,
    });
    return { ok: false, reason: 'locked', lockedUntil };
  }

  let valid = false;
  let why = 'wrong password';
  if (account?.passwordHash && password.length <= PASSWORD_MAX_LENGTH) {
    valid = await verifyPassword(account.passwordHash, password);
  } else {
    await verifyAgainstDummy(password);
    why = !account
      ? 'unknown username'
      : account.passwordHash
        ? 'password too long'
        : 'no password set';
  }
  if (valid && !account!.active) {
    valid = false;
    why = 'account deactivated';
  }

  if (!valid) {
    const { lockedUntil: justLocked, failures } = await deps.lockout.recordFailure(
      username,
      input.ip,
    );
    await deps.securityLog.record({
      ...base,
      action: 'auth.sign-in.failed',
      outcome: 'failure',
      reason: why,
      details: { failures },
    });
    if (justLocked) {
      await deps.securityLog.record({
        ...base,
        action: 'auth.locked',
        outcome: 'denied',
        reason: `${failures} failed sign-ins in 15 minutes`,
        details: { until: justLocked.toISOString() },
      });
    }
    return { ok: false, reason: 'invalid', justLocked };
  }

  await deps.lockout.reset(username);
  await deps.accounts.recordSignIn(account!.id, now());
  return { ok: true, account: account! };
}

/**
 * Changes a password after checking the current one and the policy. Throws
 * ValidationError naming the field(s).
 */
export async function changePassword(
  deps: SignInDeps,
  input: { accountId: string; currentPassword: string; newPassword: string; confirmation: string },
  ctx: { ip?: string; via?: string },
): Promise<void> {
  const account = await deps.accounts.findById(input.accountId);
  if (!account || !account.active) throw new ValidationError('account not available');
  const errors = [];
  const currentOk = account.passwordHash
    ? await verifyPassword(account.passwordHash, input.currentPassword ?? '')
    : false;
  if (!currentOk) {
    errors.push({
      field: 'currentPassword',
      message: 'the current password is not correct',
      key: 'auth.password.currentWrong',
    });
  }
  errors.push(...checkPasswordPolicy(input.newPassword ?? '', account, 'newPassword'));
  if (input.newPassword !== input.confirmation) {
    errors.push({
      field: 'confirmation',
      message: 'the two new passwords differ',
      key: 'auth.password.confirmationDiffers',
    });
  }
  if (currentOk && input.newPassword === input.currentPassword) {
    errors.push({
      field: 'newPassword',
      message: 'the new password must differ from the current one',
      key: 'auth.password.sameAsCurrent',
    });
  }
  if (errors.length > 0) throw new ValidationError('the password was not changed', errors);
  await deps.accounts.setPassword(account.id, await hashPassword(input.newPassword), {
    mustChangePassword: false,
  });
  await deps.securityLog.record({
    action: 'auth.password.changed',
    outcome: 'success',
    tenantId: account.tenantId,
    actor: { username: account.username, accountId: account.id, via: ctx.via },
    ip: ctx.ip,
    target: { kind: 'user', id: account.id, label: account.username },
  });
}
