/**
 * The province administrator manages people (/amministrazione/utenti and /api/v1/users),
 * reads the security log, and `npm run users` creates an administrator with a one-time
 * password; with DEMO_DATA off the demo accounts no longer open.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { testDatabaseUri } from '../support/database';
import { signIn, startTestProduct, tokenClient, WebClient, type TestProduct } from '../support/web';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

let product: TestProduct;
beforeAll(async () => {
  product = await startTestProduct({ name: 'users' });
});
afterAll(async () => {
  await product?.stop();
});

function oneTimePassword(html: string): string {
  const m = /data-testid='one-time-password'>([^<]+)</.exec(html);
  if (!m) throw new Error('no one-time password on the page');
  return m[1].trim();
}

async function userId(username: string): Promise<string> {
  return (await product.auth.accounts.findByUsername(username))!.id;
}

describe('/amministrazione/utenti', () => {
  it('creates a comune officer with a one-time password that must be changed at the first sign-in', async () => {
    const admin = await signIn(product.url, 'admin.ra');
    const list = await admin.get('/amministrazione/utenti');
    expect(list.status).toBe(200);
    expect(list.text).toContain("data-username='rup.faenza'");
    expect(list.text).not.toContain('rup.montemurlo');
    await admin.get('/amministrazione/utenti/nuovo');
    const created = await admin.postForm('/amministrazione/utenti', {
      username: 'nuovo.faenza',
      displayName: 'Nuova Persona',
      email: 'nuova@comune.faenza.ra.it',
      roles: 'comune-officer',
      comune: '039010',
      office: 'Ufficio tecnico',
    });
    expect(created.status).toBe(201);
    const otp = oneTimePassword(created.text);
    expect(otp).toMatch(/^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}$/);

    // First sign-in: only the password page is open.
    const person = new WebClient(product.url);
    await person.get('/accedi');
    const first = await person.postForm('/accedi', { username: 'nuovo.faenza', password: otp });
    expect(first.status).toBe(303);
    expect(first.location).toBe('/profilo/password');
    expect((await person.get('/profilo')).location).toBe('/profilo/password');
    expect((await person.get('/api/v1/me')).status).toBe(403);
    const page = await person.get('/profilo/password');
    expect(page.text).toContain('password temporanea');
    const changed = await person.postForm('/profilo/password', {
      currentPassword: otp,
      newPassword: 'la mia nuova password sicura',
      confirmation: 'la mia nuova password sicura',
    });
    expect(changed.status).toBe(303);
    const me = await person.get('/api/v1/me');
    expect(me.json()).toMatchObject({
      username: 'nuovo.faenza',
      comune: '039010',
      roles: ['comune-officer'],
    });

    const log = await product.auth.securityLog.list('039', { action: 'users.created' });
    expect(log[0]).toMatchObject({
      actor: { username: 'admin.ra' },
      target: { label: 'nuovo.faenza' },
    });
    expect(JSON.stringify(log)).not.toContain(otp);
  });

  it('refuses invalid people with the field named, in Italian, and writes nothing', async () => {
    const admin = await signIn(product.url, 'admin.ra');
    await admin.get('/amministrazione/utenti/nuovo');
    const res = await admin.postForm('/amministrazione/utenti', {
      username: 'X',
      displayName: '',
      codiceFiscale: 'RSSMRA00A00X000X',
      roles: ['comune-rup', 'sua-officer'],
      comune: '100003',
    });
    expect(res.status).toBe(422);
    for (const text of [
      'Il nome utente deve avere da 3 a 40 caratteri',
      'Indica nome e cognome',
      'Il codice fiscale non è valido.',
      'Un utente non può avere insieme ruoli della Provincia e ruoli del Comune.',
      'Il Comune indicato non appartiene alla Provincia.',
    ]) {
      expect(res.text).toContain(text);
    }
    expect(res.text).toContain("href='#username'");
    expect(await product.auth.accounts.findByUsername('x')).toBeUndefined();
    // An existing username is a conflict, whatever the province.
    const dup = await admin.postForm('/amministrazione/utenti', {
      username: 'rup.montemurlo',
      displayName: 'Doppio',
      roles: 'viewer',
    });
    expect(dup.status).toBe(409);
  });

  it('changes roles and office, deactivates (ending the sessions) and reactivates, with each change logged', async () => {
    const admin = await signIn(product.url, 'admin.ra');
    const person = await signIn(product.url, 'sape.ra');
    const id = await userId('sape.ra');
    const edit = await admin.get(`/amministrazione/utenti/${id}`);
    expect(edit.text).toContain("value='Elena Galli'");
    const saved = await admin.postForm(`/amministrazione/utenti/${id}`, {
      displayName: 'Elena Galli',
      roles: ['sape-officer', 'viewer'],
      office: 'Europa e progetti',
      email: 'sape@demo.provincia.ra.it',
      codiceFiscale: 'GLLLNE85P49C553O',
      comune: '',
      active: 'on',
    });
    expect(saved.status).toBe(303);
    expect(saved.location).toBe('/amministrazione/utenti');
    expect((await admin.get('/amministrazione/utenti')).text).toContain(
      'Le modifiche all&#x27;utente sono state salvate.',
    );
    expect((await person.get('/api/v1/me')).json()).toMatchObject({
      roles: ['sape-officer', 'viewer'],
      office: 'Europa e progetti',
    });

    // Deactivate: no "active" checkbox sent.
    await admin.get(`/amministrazione/utenti/${id}`);
    const off = await admin.postForm(`/amministrazione/utenti/${id}`, {
      displayName: 'Elena Galli',
      roles: ['sape-officer'],
      office: 'Europa e progetti',
    });
    expect(off.status).toBe(303);
    expect((await person.get('/profilo')).status).toBe(303);
    await expect(signIn(product.url, 'sape.ra')).rejects.toThrow(/401/);
    await admin.get(`/amministrazione/utenti/${id}`);
    await admin.postForm(`/amministrazione/utenti/${id}`, {
      displayName: 'Elena Galli',
      roles: 'sape-officer',
      active: 'on',
    });
    await expect(signIn(product.url, 'sape.ra')).resolves.toBeInstanceOf(WebClient);

    const updates = await product.auth.securityLog.list('039', { action: 'users.updated' });
    const changes = updates.map(
      (u) => u.details?.changes as Record<string, { from: unknown; to: unknown }>,
    );
    expect(changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          roles: { from: ['sape-officer'], to: ['sape-officer', 'viewer'] },
        }),
        expect.objectContaining({ active: { from: true, to: false } }),
        expect.objectContaining({ active: { from: false, to: true } }),
      ]),
    );
  });

  it('does not let the administrator lock themselves out', async () => {
    const admin = await signIn(product.url, 'admin.po');
    const id = await userId('admin.po');
    await admin.get(`/amministrazione/utenti/${id}`);
    const res = await admin.postForm(`/amministrazione/utenti/${id}`, {
      displayName: 'Roberto Ferri',
      roles: 'viewer',
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain('Non puoi disattivare il tuo stesso utente.');
    expect(res.text).toContain('Non puoi togliere a te stesso il ruolo di amministratore.');
    expect((await product.auth.accounts.findByUsername('admin.po'))!.roles).toEqual([
      'province-admin',
    ]);
  });

  it('resets a password: the old one stops working, open sessions end, a one-time password is shown once', async () => {
    const admin = await signIn(product.url, 'admin.ra');
    const person = await signIn(product.url, 'dpo.ra');
    const id = await userId('dpo.ra');
    await admin.get(`/amministrazione/utenti/${id}`);
    const res = await admin.postForm(`/amministrazione/utenti/${id}/password`);
    expect(res.status).toBe(200);
    const otp = oneTimePassword(res.text);
    expect((await person.get('/profilo')).status).toBe(303);
    await expect(signIn(product.url, 'dpo.ra')).rejects.toThrow(/401/);
    const again = new WebClient(product.url);
    await again.get('/accedi');
    expect((await again.postForm('/accedi', { username: 'dpo.ra', password: otp })).location).toBe(
      '/profilo/password',
    );
  });

  it('is closed to everybody but the province administrator, and to other provinces', async () => {
    const officer = await signIn(product.url, 'istruttore.ra');
    expect((await officer.get('/amministrazione/utenti')).status).toBe(403);
    const otherAdmin = await signIn(product.url, 'admin.po');
    expect(
      (await otherAdmin.get(`/amministrazione/utenti/${await userId('rup.faenza')}`)).status,
    ).toBe(404);
    const denied = await product.auth.securityLog.list('039', {
      action: 'access.denied',
      actor: 'istruttore.ra',
    });
    expect(denied[0]).toMatchObject({
      outcome: 'denied',
      reason: 'missing permission users.manage',
    });
  });
});

describe('/api/v1/users', () => {
  it('lists, creates, changes and resets people of the caller’s province only', async () => {
    const api = await tokenClient(product.url, 'admin.po');
    const list = await api.send('GET', '/api/v1/users');
    const usernames = list.json<{ items: { username: string }[] }>().items.map((u) => u.username);
    expect(usernames).toContain('rup.montemurlo');
    expect(usernames).not.toContain('rup.faenza');
    const created = await api.send('POST', '/api/v1/users', {
      username: 'api.vaiano',
      displayName: 'Creata da API',
      roles: ['comune-rup'],
      comune: '100006',
    });
    expect(created.status).toBe(201);
    const { user, oneTimePassword: otp } = created.json<{
      user: { id: string; tenantId: string };
      oneTimePassword: string;
    }>();
    expect(user.tenantId).toBe('100');
    expect(otp).toBeTruthy();
    const patched = await api.send('PATCH', `/api/v1/users/${user.id}`, {
      office: 'Segreteria',
      email: null,
    });
    expect(patched.json()).toMatchObject({ office: 'Segreteria', email: null });
    const bad = await api.send('PATCH', `/api/v1/users/${user.id}`, {
      roles: ['comune-rup'],
      comune: null,
    });
    expect(bad.status).toBe(422);
    expect(bad.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toEqual([
      'comune',
    ]);
    const reset = await api.send('POST', `/api/v1/users/${user.id}/password-reset`);
    expect(reset.json<{ oneTimePassword: string }>().oneTimePassword).not.toBe(otp);
    // Another province's person does not exist for this caller.
    const foreign = await api.send('PATCH', `/api/v1/users/${await userId('rup.faenza')}`, {
      office: 'x',
    });
    expect(foreign.status).toBe(404);
    expect((await product.auth.accounts.findByUsername('rup.faenza'))!.office).not.toBe('x');
    // Not an administrator: 403.
    const viewer = await tokenClient(product.url, 'ospite.po');
    expect((await viewer.send('GET', '/api/v1/users')).status).toBe(403);
  });
});

describe('security log', () => {
  it('shows the administrator their province’s entries only, with filters and paging', async () => {
    const admin = await signIn(product.url, 'admin.po');
    const page = await admin.get('/amministrazione/registro?action=auth.sign-in');
    expect(page.status).toBe(200);
    expect(page.text).toContain("data-action='auth.sign-in'");
    expect(page.text).toContain('admin.po');
    expect(page.text).not.toContain('admin.ra');
    const api = await admin.get('/api/v1/security-log?limit=2');
    const body = api.json<{ items: { action: string }[]; next: string | null }>();
    expect(body.items).toHaveLength(2);
    expect(body.next).toBeTruthy();
    const older = await admin.get(`/api/v1/security-log?limit=2&before=${body.next}`);
    expect(older.json<{ items: { id: string }[] }>().items[0].id).not.toBe(body.next);
    expect((await admin.get('/api/v1/security-log?outcome=maybe')).status).toBe(400);
    const officer = await signIn(product.url, 'dirigente.po');
    expect((await officer.get('/amministrazione/registro')).status).toBe(403);
  });
});

describe('npm run users and DEMO_DATA off', () => {
  it('creates an administrator with a one-time password; with DEMO_DATA off only that account opens', async () => {
    const env = {
      ...process.env,
      MONGODB_URI: testDatabaseUri(product.databaseName),
      LOG_LEVEL: 'silent',
    };
    const cli = (args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'scripts/users.ts', ...args], { cwd: ROOT, env });
    const out = await cli([
      'add',
      '--username',
      'capo.ra',
      '--name',
      'Capo Amministratore',
      '--province',
      '039',
      '--roles',
      'province-admin',
    ]);
    const otp = /One-time password: (\S+)/.exec(out.stdout)![1];
    await expect(
      cli([
        'add',
        '--username',
        'bad.ra',
        '--name',
        'X',
        '--province',
        '039',
        '--roles',
        'comune-rup',
      ]),
    ).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('--comune: comune staff need their comune'),
    });
    await expect(
      cli(['add', '--username', 'bad.ra', '--name', 'X', '--province', '039', '--roles', 'boss']),
    ).rejects.toMatchObject({
      stderr: expect.stringContaining('Unknown role(s): boss'),
    });
    expect((await cli(['list', '--province', '039'])).stdout).toMatch(
      /capo\.ra\tCapo Amministratore\tprovince-admin/,
    );

    // Restart the product on the same database with DEMO_DATA off.
    const database = product.databaseName;
    await product.stop({ keepDatabase: true });
    const off = await startTestProduct({ database, env: { DEMO_DATA: 'false' } });
    try {
      await expect(signIn(off.url, 'admin.ra')).rejects.toThrow(/401/);
      await expect(signIn(off.url, 'admin.ra', 'demo')).rejects.toThrow(/401/);
      const capo = new WebClient(off.url);
      await capo.get('/accedi');
      const first = await capo.postForm('/accedi', { username: 'capo.ra', password: otp });
      expect([first.status, first.location]).toEqual([303, '/profilo/password']);
    } finally {
      await off.db.connection.db?.dropDatabase();
      await off.stop();
    }
    product = await startTestProduct({ name: 'users-after' }); // for afterAll
  });
});
