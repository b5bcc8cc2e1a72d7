/**
 * src/auth: accounts, passwords (argon2id), sign-in with lock-out, API tokens, OIDC,
 * roles → permissions. No express here: src/web/auth and src/web/core use these.
 */
import type { Connection } from 'mongoose';
import type { SecurityLog } from '../audit/security-log';
import { createAccountStore, type Account, type AccountStore } from './accounts';
import { createApiTokenStore, type ApiToken, type ApiTokenStore } from './api-tokens';
import { createLockout, type Lockout } from './lockout';
import { principalFrom, type AuthMethod, type Principal } from './principal';
import { changePassword, signInWithPassword, type SignInResult } from './sign-in';

export * from './permissions';
export * from './principal';
export type { Account, AccountProfile, AccountStore } from './accounts';
export type { ApiToken, ApiTokenStore, ApiTokenWithState } from './api-tokens';
export {
  MAX_TOKEN_DAYS,
  MAX_TOKENS_PER_ACCOUNT,
  newTokenId,
  TokenAlreadyCreatedError,
} from './api-tokens';
export type { SignInResult } from './sign-in';

export interface AuthServices {
  accounts: AccountStore;
  tokens: ApiTokenStore;
  lockout: Lockout;
  securityLog: SecurityLog;
  signIn(input: { username: string; password: string; ip?: string }): Promise<SignInResult>;
  changePassword(
    input: {
      accountId: string;
      currentPassword: string;
      newPassword: string;
      confirmation: string;
    },
    ctx: { ip?: string; via?: string },
  ): Promise<void>;
  /** The principal of an active account, or undefined (deleted, deactivated). */
  principalForAccount(
    accountId: string,
    via: AuthMethod,
  ): Promise<{ principal: Principal; account: Account } | undefined>;
  /** The principal a personal API token acts as, or undefined when the token is not valid. */
  principalForToken(token: string): Promise<{ principal: Principal; token: ApiToken } | undefined>;
}

export function createAuthServices(deps: {
  connection: Connection;
  securityLog: SecurityLog;
  now?: () => Date;
}): AuthServices {
  const accounts = createAccountStore(deps.connection);
  const tokens = createApiTokenStore(deps.connection, deps.now);
  const lockout = createLockout(deps.connection, deps.now);
  const signInDeps = { accounts, lockout, securityLog: deps.securityLog, now: deps.now };
  const services: AuthServices = {
    accounts,
    tokens,
    lockout,
    securityLog: deps.securityLog,
    signIn: (input) => signInWithPassword(signInDeps, input),
    changePassword: (input, ctx) => changePassword(signInDeps, input, ctx),
    async principalForAccount(accountId, via) {
      const account = await accounts.findById(accountId);
      if (!account || !account.active) return undefined;
      return { principal: principalFrom(account, via), account };
    },
    async principalForToken(token) {
      const record = await tokens.verify(token);
      if (!record) return undefined;
      const found = await services.principalForAccount(record.accountId, 'token');
      // A token never outlives its owner's province: moved accounts lose their tokens.
      if (!found || found.account.tenantId !== record.tenantId) return undefined;
      return { principal: found.principal, token: record };
    },
  };
  return services;
}
