/**
 * Alerts: a province administrator sets a threshold on an indicator ("more than 3
 * open incidents", "data requests past their service level"); a periodic check (croner)
 * compares the current value and e-mails the named people once when a breach starts,
 * then a reminder every `reminderEvery` while it lasts. Several app processes may run
 * the check: each e-mail has a deterministic key (alert, breach start, reminder number)
 * and is sent once per key through the notification log (sendOnce).
 */
import { randomUUID } from 'node:crypto';
import { Cron } from 'croner';
import type { Connection } from 'mongoose';
import { ensureIndex } from '../db';
import { renderEmail } from '../documents';
import { ValidationError } from '../errors';
import type { HistoryClient, IncidentItem, ProcessInstanceItem } from '../monitoring';
import type { Mailer } from '../workers/notifications/mailer';
import { sendOnce } from '../workers/notifications/notification-log';
import { defaultPeriod } from './filters';
import { openWorkByOffice, serviceLevelMs } from './operational';

export const ALERTS_COLLECTION = 'analytics_alerts';
export const ALERT_STATES_COLLECTION = 'analytics_alert_states';

export const ALERT_INDICATORS = [
  'openIncidents',
  'dataRequestsPastServiceLevel',
  'lateTasks',
] as const;
export type AlertIndicator = (typeof ALERT_INDICATORS)[number];
export const COMPARATORS = { gt: '>', gte: '≥', lt: '<', lte: '≤' } as const;
export type Comparator = keyof typeof COMPARATORS;

export interface AlertDefinition {
  _id: string;
  tenantId: string;
  name: string;
  indicator: AlertIndicator;
  comparator: Comparator;
  threshold: number;
  recipients: string[];
  /** ISO 8601 duration between reminders; null = no reminders. */
  reminderEvery: string | null;
  enabled: boolean;
  createdBy: string;
  createdAt: Date;
}

export interface AlertState {
  _id: string;
  tenantId: string;
  breached: boolean;
  since: Date | null;
  lastValue: number | null;
  lastCheckedAt: Date;
  notificationsSent: number;
}

export class AlertInputError extends ValidationError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message, [{ field, message }]);
    this.name = 'AlertInputError';
  }
}

const EMAIL = /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/;

export interface AlertInput {
  name: unknown;
  indicator: unknown;
  comparator: unknown;
  threshold: unknown;
  recipients: unknown;
  reminderEvery?: unknown;
}

export function validateAlert(
  input: AlertInput,
): Omit<AlertDefinition, '_id' | 'tenantId' | 'createdBy' | 'createdAt' | 'enabled'> {
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (!name || name.length > 120) {
    throw new AlertInputError('name', 'Indicare un nome (al più 120 caratteri)');
  }
  if (!ALERT_INDICATORS.includes(input.indicator as AlertIndicator)) {
    throw new AlertInputError('indicator', 'Indicatore non valido');
  }
  if (!(typeof input.comparator === 'string' && input.comparator in COMPARATORS)) {
    throw new AlertInputError('comparator', 'Confronto non valido');
  }
  const threshold =
    typeof input.threshold === 'string'
      ? Number(input.threshold.replace(',', '.'))
      : input.threshold;
  if (
    typeof threshold !== 'number' ||
    !Number.isFinite(threshold) ||
    threshold < 0 ||
    threshold > 1e9
  ) {
    throw new AlertInputError('threshold', 'La soglia deve essere un numero non negativo');
  }
  const raw = Array.isArray(input.recipients)
    ? input.recipients
    : String(input.recipients ?? '').split(/[\s,;]+/);
  const recipients = [...new Set(raw.map((r) => String(r).trim()).filter(Boolean))];
  if (!recipients.length || recipients.length > 20 || !recipients.every((r) => EMAIL.test(r))) {
    throw new AlertInputError('recipients', 'Indicare da 1 a 20 indirizzi e-mail validi');
  }
  const rawReminder = typeof input.reminderEvery === 'string' ? input.reminderEvery.trim() : '';
  const reminderEvery = rawReminder || null;
  if (reminderEvery !== null) {
    const ms = serviceLevelMs(reminderEvery);
    if (ms === undefined || ms < 3_600_000) {
      throw new AlertInputError(
        'reminderEvery',
        'Intervallo dei promemoria non valido (almeno PT1H, es. P1D)',
      );
    }
  }
  return {
    name,
    indicator: input.indicator as AlertIndicator,
    comparator: input.comparator as Comparator,
    threshold,
    recipients,
    reminderEvery,
  };
}

export class AlertStore {
  constructor(private readonly connection: Connection) {}

  private alerts() {
    return this.connection.db!.collection<AlertDefinition>(ALERTS_COLLECTION);
  }

  private states() {
    return this.connection.db!.collection<AlertState>(ALERT_STATES_COLLECTION);
  }

  async create(tenantId: string, createdBy: string, input: AlertInput, now = new Date()) {
    const valid = validateAlert(input);
    const doc: AlertDefinition = {
      _id: randomUUID(),
      tenantId,
      ...valid,
      enabled: true,
      createdBy,
      createdAt: now,
    };
    await this.alerts().insertOne(doc);
    return doc;
  }

  async list(tenantId: string): Promise<(AlertDefinition & { state?: AlertState })[]> {
    const [alerts, states] = await Promise.all([
      this.alerts().find({ tenantId }).sort({ createdAt: 1 }).toArray(),
      this.states().find({ tenantId }).toArray(),
    ]);
    const byId = new Map(states.map((s) => [s._id, s]));
    return alerts
      .filter((a) => a.tenantId === tenantId)
      .map((a) => ({ ...a, state: byId.get(a._id) }));
  }

  async all(): Promise<AlertDefinition[]> {
    return this.alerts().find({ enabled: true }).toArray();
  }

  /** Deletes an alert of this province; false when there is none with that id. */
  async remove(tenantId: string, id: string): Promise<boolean> {
    const r = await this.alerts().deleteOne({ _id: id, tenantId });
    if (r.deletedCount) await this.states().deleteOne({ _id: id, tenantId });
    return r.deletedCount === 1;
  }

  state(id: string) {
    return this.states().findOne({ _id: id });
  }

  async saveState(state: AlertState) {
    await this.states().replaceOne({ _id: state._id }, state, { upsert: true });
  }
}

export interface AlertCheckDeps {
  connection: Connection;
  history: HistoryClient;
  mailer: Mailer;
  store: AlertStore;
  /** Per province: its name, data-request service level, office service levels. */
  province: (
    tenantId: string,
  ) =>
    | { name: string; dataRequestServiceLevel: string; officeServiceLevels: Record<string, string> }
    | undefined;
  indicatorLabel?: (indicator: AlertIndicator) => string;
  logger?: { warn(obj: object, msg?: string): void; info(obj: object, msg?: string): void };
}

/** The indicator's current value for a province. */
export async function alertValue(
  deps: Pick<AlertCheckDeps, 'history' | 'province'>,
  tenantId: string,
  indicator: AlertIndicator,
  now: Date,
): Promise<number> {
  const settings = deps.province(tenantId);
  if (indicator === 'openIncidents') {
    const r = await deps.history.search<IncidentItem>('incidents', {
      filter: { tenantId, state: 'ACTIVE' },
      page: { limit: 1 },
    });
    return r.page.totalItems;
  }
  if (indicator === 'dataRequestsPastServiceLevel') {
    const level = serviceLevelMs(settings?.dataRequestServiceLevel ?? 'P30D') ?? 30 * 86_400_000;
    const r = await deps.history.search<ProcessInstanceItem>('process-instances', {
      filter: {
        tenantId,
        processDefinitionId: 'data-request',
        state: 'ACTIVE',
        startDate: { $lt: new Date(now.getTime() - level).toISOString() },
      },
      page: { limit: 1 },
    });
    return r.page.totalItems;
  }
  const t = await openWorkByOffice(
    deps.history,
    { tenantId, ...defaultPeriod(now) },
    settings?.officeServiceLevels ?? {},
    now,
  );
  return t.rows.reduce((s, r) => s + (typeof r.late === 'number' ? r.late : 0), 0);
}

function breached(value: number, comparator: Comparator, threshold: number): boolean {
  if (comparator === 'gt') return value > threshold;
  if (comparator === 'gte') return value >= threshold;
  if (comparator === 'lt') return value < threshold;
  return value <= threshold;
}

export interface AlertCheckResult {
  alertId: string;
  value: number;
  breached: boolean;
  /** E-mails sent by this check (0, or 1 for the start or a reminder). */
  sent: number;
}

/** One check of every enabled alert; an alert that fails is logged and the others go on. */
export async function checkAlerts(
  deps: AlertCheckDeps,
  now = new Date(),
): Promise<AlertCheckResult[]> {
  const results: AlertCheckResult[] = [];
  for (const alert of await deps.store.all()) {
    try {
      results.push(await checkOne(deps, alert, now));
    } catch (err) {
      deps.logger?.warn(
        { err, alertId: alert._id, tenantId: alert.tenantId },
        'alert check failed',
      );
    }
  }
  return results;
}

async function checkOne(deps: AlertCheckDeps, alert: AlertDefinition, now: Date) {
  const value = await alertValue(deps, alert.tenantId, alert.indicator, now);
  const isBreached = breached(value, alert.comparator, alert.threshold);
  const previous = await deps.store.state(alert._id);
  const since = isBreached ? (previous?.breached && previous.since ? previous.since : now) : null;
  let sent = 0;
  let notificationsSent = previous?.breached ? previous.notificationsSent : 0;
  if (isBreached && since) {
    // 0 = the breach itself, n = the n-th reminder; each number is mailed once.
    const every = alert.reminderEvery ? serviceLevelMs(alert.reminderEvery) : undefined;
    const n = every ? Math.floor((now.getTime() - since.getTime()) / every) : 0;
    const province = deps.province(alert.tenantId);
    const mail = renderEmail('allarme-soglia', alert.tenantId, {
      nome: alert.name,
      indicatore: deps.indicatorLabel?.(alert.indicator) ?? alert.indicator,
      valore: value,
      confronto: COMPARATORS[alert.comparator],
      soglia: alert.threshold,
      dal: since.toISOString(),
      promemoria: n,
      provincia: province?.name ?? alert.tenantId,
    });
    const r = await sendOnce(deps.connection, deps.mailer, {
      key: `alert:${alert._id}:${since.toISOString()}:${n}`,
      tenantId: alert.tenantId,
      processInstanceKey: '',
      template: 'allarme-soglia',
      message: { to: alert.recipients, subject: mail.subject, text: mail.body },
    });
    if (r.sent) {
      sent = 1;
      notificationsSent++;
      deps.logger?.info(
        { alertId: alert._id, tenantId: alert.tenantId, value, reminder: n },
        'alert e-mail sent',
      );
    }
  }
  await deps.store.saveState({
    _id: alert._id,
    tenantId: alert.tenantId,
    breached: isBreached,
    since,
    lastValue: value,
    lastCheckedAt: now,
    notificationsSent: isBreached ? notificationsSent : 0,
  });
  return { alertId: alert._id, value, breached: isBreached, sent };
}

/** Runs checkAlerts on a cron schedule (never two at once in this process). */
export function startAlertChecker(deps: AlertCheckDeps, cron = '*/5 * * * *'): { stop(): void } {
  const job = new Cron(cron, { protect: true }, async () => {
    await checkAlerts(deps).catch((err: unknown) =>
      deps.logger?.warn({ err }, 'alert check failed'),
    );
  });
  return { stop: () => job.stop() };
}

export async function ensureAlertIndexes(connection: Connection): Promise<void> {
  await ensureIndex(connection, ALERTS_COLLECTION, { tenantId: 1 }, { name: 'tenant' });
}
