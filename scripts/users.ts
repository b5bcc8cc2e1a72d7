/**
 * `npm run users -- <command>`: manage accounts from the command line, e.g. to create
 * the first administrator of a province when DEMO_DATA is off.
 *
 *   npm run users -- add --username m.rossi --name "Mario Rossi" --province 039 \
 *        --roles province-admin [--email m.rossi@provincia.ra.it] [--office "Segreteria"] \
 *        [--comune 039010] [--codice-fiscale RSSMRA80A01H199X]
 *   npm run users -- reset-password m.rossi
 *   npm run users -- deactivate m.rossi | activate m.rossi
 *   npm run users -- list --province 039
 *
 * `add` and `reset-password` print a one-time password that must be changed at the first
 * sign-in. The database is MONGODB_URI, else the embedded FerretDB in DATA_DIR: run it
 * while `npm start` is stopped, or point both at the same MONGODB_URI.
 */
import { parseArgs } from 'node:util';
import { createSecurityLog } from '../src/audit/security-log';
import { createAccountStore } from '../src/auth/accounts';
import { isRole, type Role } from '../src/auth/permissions';
import { createUserAdmin, type AdminActor } from '../src/auth/user-admin';
import { loadProductConfig, readEnvConfig } from '../src/config';
import { openDatabase } from '../src/db';
import { ConflictError, ValidationError } from '../src/errors';

const USAGE = `Usage:
  npm run users -- add --username <name> --name "<Nome Cognome>" --province <ISTAT> --roles <role[,role]>
                       [--email <e-mail>] [--office <ufficio>] [--comune <ISTAT>] [--codice-fiscale <CF>]
  npm run users -- reset-password <username>
  npm run users -- deactivate <username> | activate <username>
  npm run users -- list --province <ISTAT>`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      username: { type: 'string' },
      name: { type: 'string' },
      province: { type: 'string' },
      roles: { type: 'string' },
      email: { type: 'string' },
      office: { type: 'string' },
      comune: { type: 'string' },
      'codice-fiscale': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, target] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const env = readEnvConfig(process.env);
  const config = loadProductConfig(env.configDir);
  const db = await openDatabase({ mongodbUri: env.mongodbUri, dataDir: env.dataDir });
  try {
    const accounts = createAccountStore(db.connection);
    const admin = createUserAdmin({
      accounts,
      securityLog: createSecurityLog(db.connection),
      config,
    });
    const actor: AdminActor = { username: 'cli', tenantId: '*', via: 'cli' };
    const byName = async (username: string | undefined) => {
      const account = username ? await accounts.findByUsername(username) : undefined;
      if (!account) throw new Error(`No account "${username ?? ''}"`);
      return account;
    };
    switch (command) {
      case 'add': {
        const roles = (values.roles ?? '')
          .split(',')
          .map((r) => r.trim())
          .filter(Boolean);
        const unknown = roles.filter((r) => !isRole(r));
        if (unknown.length) throw new Error(`Unknown role(s): ${unknown.join(', ')}`);
        const { account, oneTimePassword } = await admin.create(actor, {
          username: values.username ?? '',
          displayName: values.name ?? '',
          tenantId: values.province,
          roles: roles as Role[],
          email: values.email,
          office: values.office,
          comune: values.comune,
          codiceFiscale: values['codice-fiscale'],
        });
        console.log(
          `Created ${account.username} (${account.displayName}) in province ${account.tenantId}, roles: ${account.roles.join(', ')}`,
        );
        console.log(`One-time password: ${oneTimePassword}`);
        console.log('It must be changed at the first sign-in (/accedi).');
        return 0;
      }
      case 'reset-password': {
        const { account, oneTimePassword } = await admin.resetPassword(
          actor,
          (await byName(target)).id,
        );
        console.log(`New one-time password for ${account.username}: ${oneTimePassword}`);
        console.log('It must be changed at the next sign-in (/accedi).');
        return 0;
      }
      case 'deactivate':
      case 'activate': {
        const account = await admin.update(actor, (await byName(target)).id, {
          active: command === 'activate',
        });
        console.log(`${account.username} is now ${account.active ? 'active' : 'deactivated'}`);
        return 0;
      }
      case 'list': {
        for (const a of await admin.list(actor, values.province)) {
          console.log(
            [
              a.username,
              a.displayName,
              a.roles.join(','),
              a.comune ?? '-',
              a.office ?? '-',
              a.active ? 'active' : 'deactivated',
            ].join('\t'),
          );
        }
        return 0;
      }
      default:
        console.error(`Unknown command "${command}"\n${USAGE}`);
        return 2;
    }
  } catch (err) {
    if (err instanceof ValidationError) {
      console.error(`Refused: ${err.message}`);
      for (const e of err.errors)
        console.error(
          `  --${e.field.replace(/\/.*$/, '').replace('displayName', 'name').replace('tenantId', 'province').replace('codiceFiscale', 'codice-fiscale')}: ${e.message}`,
        );
    } else if (err instanceof ConflictError) {
      console.error(`Refused: ${err.message}`);
    } else {
      console.error(`Error: ${(err as Error).message}`);
    }
    return 1;
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
