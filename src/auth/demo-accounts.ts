/**
 * Demo accounts: with DEMO_DATA on, every user listed in engine-config/provinces/*.yaml
 * gets an account whose password is DEMO_PASSWORD (default "demo"). Only these accounts
 * are exempt from the password policy, and only while DEMO_DATA is on: with DEMO_DATA
 * off their passwords are removed and they are deactivated, so no account has a known
 * password (administrators are then created with `npm run users -- add`).
 */
import type { Logger } from 'pino';
import type { ProductConfig } from '../config';
import type { AccountProfile, AccountStore } from './accounts';
import { hashPassword, verifyPassword } from './passwords';

export interface DemoAccountsOptions {
  accounts: AccountStore;
  config: ProductConfig;
  demoData: boolean;
  demoPassword: string;
  logger?: Pick<Logger, 'info' | 'warn'>;
}

export async function syncDemoAccounts(
  opts: DemoAccountsOptions,
): Promise<{ created: number; updated: number; disabled: number }> {
  const { accounts } = opts;
  await accounts.ensureIndexes();
  let created = 0;
  let updated = 0;
  let disabled = 0;

  if (!opts.demoData) {
    const demo = await accounts.model.find({ demo: true }).lean();
    for (const doc of demo) {
      if (doc.passwordHash || doc.active) {
        await accounts.setPassword(String(doc._id), undefined, { mustChangePassword: false });
        await accounts.update(String(doc._id), { active: false });
        disabled++;
      }
    }
    if (disabled > 0) opts.logger?.info({ disabled }, 'DEMO_DATA is off: demo accounts disabled');
    return { created, updated, disabled };
  }

  // One hash for all demo accounts: they share the password anyway, and one argon2 run
  // instead of twenty keeps start-up fast.
  let sharedHash: string | undefined;
  const demoHash = async () => (sharedHash ??= await hashPassword(opts.demoPassword));

  for (const province of opts.config.provinces.values()) {
    for (const user of province.users) {
      const profile: AccountProfile = {
        username: user.username,
        displayName: user.name,
        email: user.email,
        codiceFiscale: user.codiceFiscale,
        tenantId: province.tenantId,
        comune: user.comune,
        roles: [...user.roles],
        office: user.office,
        active: true,
      };
      const existing = await accounts.findByUsername(user.username);
      if (!existing) {
        await accounts.create(profile, { passwordHash: await demoHash(), demo: true });
        created++;
        continue;
      }
      if (!existing.demo) {
        opts.logger?.warn(
          { username: user.username },
          'a demo user of engine-config has the username of a real account: left unchanged',
        );
        continue;
      }
      if (existing.tenantId !== province.tenantId) {
        opts.logger?.warn(
          { username: user.username },
          'demo username moved province: left unchanged',
        );
        continue;
      }
      const { username: _u, tenantId: _t, ...patch } = profile;
      await accounts.update(existing.id, {
        ...patch,
        email: patch.email ?? '',
        codiceFiscale: patch.codiceFiscale ?? '',
        office: patch.office ?? '',
        comune: patch.comune ?? '',
      });
      const passwordOk =
        existing.passwordHash !== undefined &&
        (await verifyPassword(existing.passwordHash, opts.demoPassword));
      if (!passwordOk || existing.mustChangePassword) {
        await accounts.setPassword(existing.id, await demoHash(), { mustChangePassword: false });
      }
      updated++;
    }
  }
  opts.logger?.info({ created, updated }, 'demo accounts ready (password: DEMO_PASSWORD)');
  return { created, updated, disabled };
}
