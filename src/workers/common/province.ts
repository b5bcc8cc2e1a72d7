/** The calling tenant's province configuration and settings, with defaults. */
import type { ProvinceConfig, Settings } from '../../config';
import type { ServiceContext } from '../context';

/** The context a job of `tenantId` runs with: the province's current settings and templates. */
export async function contextForTenant(
  ctx: ServiceContext,
  tenantId: string,
): Promise<ServiceContext> {
  const province = ctx.config.provinces.get(tenantId);
  if (!ctx.current || !province) return ctx;
  const [settings, templateSources] = await Promise.all([
    ctx.current.settings(tenantId),
    ctx.current.templateSources(tenantId),
  ]);
  const provinces = new Map(ctx.config.provinces);
  provinces.set(tenantId, { ...province, settings });
  return { ...ctx, config: { ...ctx.config, provinces }, templateSources };
}

export function provinceOf(ctx: ServiceContext, tenantId: string): ProvinceConfig {
  const province = ctx.config.provinces.get(tenantId);
  if (!province) throw new Error(`Tenant ${tenantId} is not a configured province`);
  return province;
}

export function settingsOf(ctx: ServiceContext, tenantId: string): Settings {
  return provinceOf(ctx, tenantId).settings;
}

export function section<T>(settings: Settings, name: string): Partial<T> {
  return (settings[name] ?? {}) as Partial<T>;
}

export function comuneOf(ctx: ServiceContext, tenantId: string, comuneIstat: unknown) {
  const province = provinceOf(ctx, tenantId);
  const comune = province.comuni.find((c) => c.istat === comuneIstat);
  if (!comune) {
    throw new Error(
      `Comune ${String(comuneIstat)} is not one of the comuni of province ${tenantId}`,
    );
  }
  return comune;
}

export function caseNumber(
  prefix: string,
  tenantId: string,
  processInstanceKey: string,
  now: Date,
): string {
  return `${prefix}-${tenantId}-${now.getUTCFullYear()}-${processInstanceKey.slice(-6).padStart(6, '0')}`;
}
