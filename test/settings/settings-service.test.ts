/**
 * Province settings as versions over engine-config (src/settings) on the real database.
 */
import { loadProductConfig } from '../../src/config';
import { ConflictError, ForbiddenError, ValidationError } from '../../src/errors';
import { createSettingsService, processIdFor, type SettingsActor } from '../../src/settings';
import { openTestDatabase, type TestDatabase } from '../support/database';
import { CONFIG_DIR } from '../services/support/service-context';

const config = loadProductConfig(CONFIG_DIR);
let db: TestDatabase;

const admin = (tenantId: string): SettingsActor => ({
  tenantId,
  username: tenantId === '039' ? 'admin.ra' : 'admin.po',
  displayName: tenantId === '039' ? 'Admin Ravenna' : 'Admin Prato',
  permissions: new Set(['settings.edit']),
});

beforeAll(async () => {
  db = await openTestDatabase('settings');
});
afterAll(async () => db?.close());

function thresholds(s: { procurement: { thresholds: Record<string, number> } }) {
  return s.procurement.thresholds;
}

describe('settings versions', () => {
  it('starts from the YAML baseline (default.yaml + province file) as version 0', async () => {
    const service = createSettingsService({ connection: db.connection, config });
    const ra = await service.current('039');
    const po = await service.current('100');
    expect(ra.version).toBe(0);
    expect(thresholds(ra.effective).directAwardWorks).toBe(150000);
    // Prato's own file lowers the works threshold.
    expect(thresholds(po.effective).directAwardWorks).toBe(100000);
    expect((ra.effective.processes as { enabled: string[] }).enabled).toEqual(
      config.provinces.get('039')!.enabledProcesses,
    );
  });

  it('saves a new version with author and message, for one province only, and compares versions', async () => {
    const service = createSettingsService({ connection: db.connection, config });
    const before = await service.current('039');
    const edited = structuredClone(before.effective);
    thresholds(edited).directAwardServicesSupplies = 120000;
    const v1 = await service.save(admin('039'), edited, { message: 'Soglia interna più bassa' });
    expect(v1).toMatchObject({ version: 1, message: 'Soglia interna più bassa' });
    expect(v1.author).toEqual({ username: 'admin.ra', displayName: 'Admin Ravenna' });
    // Only the changed leaf is stored: later changes of other defaults still apply.
    expect(v1.overrides).toEqual({
      procurement: { thresholds: { directAwardServicesSupplies: 120000 } },
    });

    const ra = await service.current('039');
    expect(ra.version).toBe(1);
    expect(thresholds(ra.effective).directAwardServicesSupplies).toBe(120000);
    expect(thresholds((await service.current('100')).effective).directAwardServicesSupplies).toBe(
      140000,
    );

    const again = structuredClone(ra.effective);
    (again.procurement as Record<string, unknown>).standStill = 'P40D';
    await service.save(admin('039'), again, {
      message: 'Stand still prudenziale',
      expectedVersion: 1,
    });
    const history = await service.versions('039');
    expect(history.map((h) => [h.version, h.author.username, h.changed])).toEqual([
      [2, 'admin.ra', ['procurement/standStill']],
      [1, 'admin.ra', ['procurement/thresholds/directAwardServicesSupplies']],
    ]);
    expect(await service.compare('039', 0, 2)).toEqual([
      { path: 'procurement/standStill', from: 'P35D', to: 'P40D' },
      { path: 'procurement/thresholds/directAwardServicesSupplies', from: 140000, to: 120000 },
    ]);
    const overridden = (await service.overridden('039')).map((o) => o.path);
    expect(overridden).toEqual(
      expect.arrayContaining([
        'procurement/standStill',
        'procurement/thresholds/directAwardServicesSupplies',
      ]),
    );
    // Prato's overrides come from its YAML file.
    expect((await service.overridden('100')).map((o) => o.path)).toContain(
      'procurement/thresholds/directAwardWorks',
    );
  });

  it('refuses an invalid value naming the field, and writes nothing', async () => {
    const service = createSettingsService({ connection: db.connection, config });
    const before = await service.current('100');
    const bad = structuredClone(before.effective);
    (thresholds(bad) as Record<string, unknown>).directAwardWorks = 'centomila';
    (bad.procurement as Record<string, unknown>).technicalWeightPercent = 50;
    const err = await service.save(admin('100'), bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    const fields = (err as ValidationError).errors.map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'procurement/thresholds/directAwardWorks',
        'procurement/technicalWeightPercent',
      ]),
    );
    // Italian reason for people (ajv-i18n), English message for logs.
    const italian = (err as ValidationError).errors.find(
      (e) => e.field === 'procurement/thresholds/directAwardWorks',
    )!;
    expect(String(italian.params?.reason)).toBe('deve essere un numero');
    expect((await service.current('100')).version).toBe(before.version);
    expect(
      await db.connection.db!.collection('settings_versions').countDocuments({ tenantId: '100' }),
    ).toBe(0);

    // A comune of another province in a variant is refused with its path.
    const foreign = structuredClone(before.effective);
    foreign.processes = {
      variants: [{ process: 'procurement', variant: 'procurement-x', comuni: ['039010'] }],
    };
    const e2 = (await service
      .save(admin('100'), foreign)
      .catch((e: unknown) => e)) as ValidationError;
    expect(e2.errors.map((e) => e.field)).toEqual(['processes/variants/0/comuni/0']);
  });

  it('needs settings.edit and refuses to overwrite a concurrent save', async () => {
    const service = createSettingsService({ connection: db.connection, config });
    const current = await service.current('039');
    const edited = structuredClone(current.effective);
    thresholds(edited).euSocialServices = 760000;
    await expect(
      service.save({ ...admin('039'), permissions: new Set() }, edited),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      service.save(admin('039'), edited, { expectedVersion: current.version - 1 }),
    ).rejects.toBeInstanceOf(ConflictError);
    // Saving the same values again is not a new version.
    await expect(service.save(admin('039'), current.effective)).rejects.toBeInstanceOf(
      ValidationError,
    );
  });
});

describe('process variants', () => {
  it('picks the comune variant, then the province-wide one, then the shared process', () => {
    const settings = {
      procurement: { thresholds: {} },
      processes: {
        variants: [
          { process: 'procurement', variant: 'procurement-faenza', comuni: ['039010'] },
          { process: 'procurement', variant: 'procurement-ravenna', comuni: [] },
        ],
      },
    };
    expect(processIdFor(settings, 'procurement', '039010')).toBe('procurement-faenza');
    expect(processIdFor(settings, 'procurement', '039014')).toBe('procurement-ravenna');
    expect(processIdFor(settings, 'data-request', '039010')).toBe('data-request');
  });
});
