/**
 * E-mail notifications of the inbox, from handlebars templates a province can override
 * (engine-config/templates/<ISTAT>/emails/attivita-*.hbs, or saved in the settings):
 *
 *   attivita-assegnata   a task is assigned (or delegated, or handed back) to me
 *   attivita-ufficio     a task arrives in my office (candidate groups = my roles)
 *   attivita-promemoria  N working days before the due day (assignee, else the office)
 *   attivita-escalation  the task is overdue: to the office head (inbox.officeHeads)
 *   attivita-riepilogo   the daily digest, for people who chose it instead of instant mail
 *
 * Every notification is logged and sent once: its key is claimed in the notification
 * log (a unique key) before sending, so several app processes never send it twice.
 * Reminders and escalations are found by a periodic scan of the in-memory lists; the
 * keys known sent are kept in memory (read from the log once), so a scan of 100,000
 * open tasks asks the database only about e-mails not sent yet.
 *
 * When the SMTP relay is down, nothing is lost: a reminder or escalation is simply found
 * again by the next scan, and an instant e-mail (assignment, office) that failed is kept
 * and sent again by the next scans, until it goes through (the log's lease keeps it
 * once). Kept in memory: an instant e-mail still failing when the process stops is not
 * sent after the restart (its entry stays "failed" in the log).
 */
import type { Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import { DateTime } from 'luxon';
import { calendarForProvince } from '../calendar';
import { renderEmail } from '../documents';
import { silentLogger, type Logger } from '../logging';
import type { Mailer } from '../workers/notifications/mailer';
import {
  NOTIFICATIONS_COLLECTION,
  NotificationInProgressError,
  sendOnce,
  type NotificationEntry,
} from '../workers/notifications/notification-log';
import type { Directory, Person } from './directory';
import type { Inbox, TaskEvent } from './inbox';
import { inboxSettings } from './settings';
import type { TaskRow } from './task-index';
import type { InboxTask } from './types';

export type NotificationMode = 'instant' | 'digest' | 'off';

export interface NotificationPrefs {
  _id: string;
  tenantId: string;
  username: string;
  mode: NotificationMode;
  updatedAt: Date;
}

/** Each person's choice: instant e-mails (the default), a daily digest, or none. */
export class NotificationPreferences {
  private readonly cache = new Map<string, NotificationMode>();
  constructor(private readonly connection: Connection) {}

  private collection(): Collection<NotificationPrefs> {
    return this.connection.db!.collection<NotificationPrefs>('inbox_notification_prefs');
  }

  async mode(tenantId: string, username: string): Promise<NotificationMode> {
    const id = `${tenantId}:${username}`;
    const cached = this.cache.get(id);
    if (cached) return cached;
    const doc = await this.collection().findOne({ _id: id });
    const mode = doc?.mode ?? 'instant';
    this.cache.set(id, mode);
    return mode;
  }

  async set(tenantId: string, username: string, mode: NotificationMode): Promise<void> {
    if (!['instant', 'digest', 'off'].includes(mode)) throw new Error(`Unknown mode ${mode}`);
    const id = `${tenantId}:${username}`;
    await this.collection().replaceOne(
      { _id: id },
      { tenantId, username, mode, updatedAt: new Date() },
      { upsert: true },
    );
    this.cache.set(id, mode);
  }

  /** Forget cached choices (another app process may have changed them). */
  refresh(): void {
    this.cache.clear();
  }
}

export interface TaskNotifierOptions {
  connection: Connection;
  inbox: Inbox;
  directory: Directory;
  mailer: Mailer;
  /** The address people open the product at (PUBLIC_URL), for links in e-mails. */
  publicUrl: string;
  templatesDir?: string;
  /** The province's saved templates (src/settings), if any. */
  templateSources?: (tenantId: string) => Promise<Record<string, string>>;
  logger?: Logger;
  /** How often reminders, escalations and digests are looked for, ms (default 60 s). */
  scanEveryMs?: number;
}

interface Mail {
  key: string;
  template: string;
  to: Person;
  task?: InboxTask | TaskRow;
  data: Record<string, unknown>;
  tenantId: string;
  processInstanceKey: string;
}

/** At most this many keys are remembered as sent (then the memory starts again from the log). */
const MAX_REMEMBERED_SENT = 500_000;
/** At most this many failed instant e-mails wait for the next scans. */
const MAX_PENDING_INSTANT = 10_000;

export class TaskNotifier {
  readonly prefs: NotificationPreferences;
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | undefined;
  private scanning: Promise<unknown> | undefined;
  /** Keys of the log known to be sent (by any process): not asked about again. */
  private readonly sent = new Set<string>();
  private sentLoaded = false;
  /** Instant e-mails whose sending failed (SMTP down): sent again by the next scans. */
  private readonly pending = new Map<string, Mail>();

  constructor(private readonly opts: TaskNotifierOptions) {
    this.prefs = new NotificationPreferences(opts.connection);
    this.logger = opts.logger ?? silentLogger;
    opts.inbox.onEvent((e) => this.onEvent(e));
  }

  start(): void {
    const every = this.opts.scanEveryMs ?? 60_000;
    const tick = () => {
      this.scanning = this.scan()
        .catch((err: unknown) => this.logger.warn({ err }, 'notification scan failed'))
        .finally(() => {
          if (this.timer !== undefined) this.timer = setTimeout(tick, every);
        });
    };
    this.timer = setTimeout(tick, Math.min(every, 5000));
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.scanning;
  }

  private link(path: string): string {
    return `${this.opts.publicUrl.replace(/\/+$/, '')}${path}`;
  }

  private taskData(task: InboxTask | TaskRow) {
    const id = '_id' in task ? task._id : task.id;
    const dueAt = task.dueAt === undefined ? undefined : new Date(task.dueAt).toISOString();
    return {
      nome: task.name,
      oggetto: task.subject,
      numeroPratica: task.caseNumber,
      comune: task.comuneName,
      scadenza: dueAt,
      assegnatario: task.assignee
        ? (this.opts.directory.person(task.tenantId, task.assignee)?.name ?? task.assignee)
        : undefined,
      link: this.link(`/attivita/${id}`),
    };
  }

  /** People of the task's office: its candidate groups (same comune for comune staff) and candidate users. */
  officeOf(
    task: Pick<InboxTask, 'tenantId' | 'comune' | 'candidateGroups' | 'candidateUsers'>,
  ): Person[] {
    return this.opts.directory
      .people(task.tenantId)
      .filter(
        (p) =>
          task.candidateUsers.includes(p.username) ||
          (p.roles.some((r) => task.candidateGroups.includes(r)) &&
            (!p.comune || p.comune === task.comune)),
      );
  }

  /** The person, or their stand-in today when they are absent. */
  private recipient(tenantId: string, username: string): { to?: Person; standingInFor?: string } {
    const standIn = this.opts.inbox.substitutes.standInOf(
      tenantId,
      username,
      this.opts.inbox.now(),
    );
    const person = this.opts.directory.person(tenantId, standIn ?? username);
    return {
      to: person,
      standingInFor: standIn
        ? (this.opts.directory.person(tenantId, username)?.name ?? username)
        : undefined,
    };
  }

  /** The inbox's keys already sent, read once from the log (then kept current by send). */
  private async loadSent(): Promise<void> {
    if (this.sentLoaded) return;
    const entries = this.opts.connection
      .db!.collection<NotificationEntry>(NOTIFICATIONS_COLLECTION)
      .find({ status: 'sent', key: /^inbox:/ }, { projection: { key: 1 } });
    for await (const e of entries) this.sent.add(e.key);
    this.sentLoaded = true;
  }

  private rememberSent(key: string): void {
    if (this.sent.size >= MAX_REMEMBERED_SENT) {
      this.sent.clear();
      this.sentLoaded = false;
    }
    this.sent.add(key);
  }

  /** Failed instant e-mails waiting for a scan. */
  get pendingInstant(): number {
    return this.pending.size;
  }

  private async send(mail: Mail): Promise<boolean> {
    if (!mail.to.email || this.sent.has(mail.key)) return false;
    const province = this.opts.inbox.province(mail.tenantId);
    const sources = this.opts.templateSources ? await this.opts.templateSources(mail.tenantId) : {};
    const email = renderEmail(
      mail.template,
      mail.tenantId,
      {
        provincia: { istat: province.tenantId, nome: province.name },
        destinatario: { nome: mail.to.name },
        oggi: this.opts.inbox.now().toISOString(),
        ...mail.data,
      },
      this.opts.templatesDir,
      sources[`emails/${mail.template}`],
    );
    try {
      const result = await sendOnce(this.opts.connection, this.opts.mailer, {
        key: mail.key,
        tenantId: mail.tenantId,
        processInstanceKey: mail.processInstanceKey,
        template: mail.template,
        message: { to: [mail.to.email], subject: email.subject, text: email.body },
      });
      this.rememberSent(mail.key);
      return result.sent;
    } catch (err) {
      // Another product process is sending this very e-mail now (its lease): not ours to
      // send, and not a failure; if that sender dies, the next scan takes it over.
      if (err instanceof NotificationInProgressError) return false;
      throw err;
    }
  }

  /** An instant e-mail: if it cannot be sent now, the next scans send it. */
  private async sendInstant(mail: Mail): Promise<void> {
    try {
      await this.send(mail);
    } catch (err) {
      if (this.pending.size < MAX_PENDING_INSTANT) this.pending.set(mail.key, mail);
      this.logger.warn(
        { error: (err as Error).message, key: mail.key },
        'instant e-mail not sent; the next notification scans send it again',
      );
    }
  }

  /** The failed instant e-mails, again; stops at the first failure (the relay is still down). */
  private async retryPending(): Promise<number> {
    let sent = 0;
    for (const [key, mail] of [...this.pending]) {
      if (await this.send(mail)) sent++;
      this.pending.delete(key);
    }
    return sent;
  }

  private async onEvent(event: TaskEvent): Promise<void> {
    const task = event.task;
    if (event.type === 'assigned') {
      const { to, standingInFor } = this.recipient(task.tenantId, event.to);
      if (!to || (await this.prefs.mode(task.tenantId, to.username)) !== 'instant') return;
      const by = event.by.startsWith('system:')
        ? undefined
        : this.opts.directory.person(task.tenantId, event.by)?.name;
      await this.sendInstant({
        key: `inbox:${task._id}:v${task.version}:assigned:${to.username}`,
        template: 'attivita-assegnata',
        to,
        tenantId: task.tenantId,
        processInstanceKey: task.processInstanceKey,
        data: { attivita: this.taskData(task), assegnataDa: by, sostituzione: standingInFor },
      });
    } else if (event.type === 'created' && !task.assignee) {
      for (const person of this.officeOf(task)) {
        const { to } = this.recipient(task.tenantId, person.username);
        if (!to || (await this.prefs.mode(task.tenantId, to.username)) !== 'instant') continue;
        await this.sendInstant({
          key: `inbox:${task._id}:office:${to.username}`,
          template: 'attivita-ufficio',
          to,
          tenantId: task.tenantId,
          processInstanceKey: task.processInstanceKey,
          data: { attivita: this.taskData(task) },
        });
      }
    }
  }

  /** Reminders, escalations and digests that are due now. */
  async scan(): Promise<{
    reminders: number;
    escalations: number;
    digests: number;
    instant: number;
  }> {
    const now = this.opts.inbox.now();
    const counts = { reminders: 0, escalations: 0, digests: 0, instant: 0 };
    this.prefs.refresh();
    await this.loadSent();
    counts.instant = await this.retryPending();
    for (const row of this.opts.inbox.index.allRows()) {
      if (row.state !== 'open' || row.dueAt === undefined) continue;
      const province = this.opts.inbox.deps.config.provinces.get(row.tenantId);
      if (!province) continue;
      const settings = inboxSettings(province);
      const dueIso = new Date(row.dueAt).toISOString();
      if (row.dueAt < now.getTime()) {
        // Overdue: escalate to the office heads of the task's groups.
        const heads = new Set(
          row.candidateGroups.map((g) => settings.officeHeads[g]).filter(Boolean),
        );
        const people = this.opts.directory
          .people(row.tenantId)
          .filter(
            (p) => p.roles.some((r) => heads.has(r)) && (!p.comune || p.comune === row.comune),
          );
        for (const head of people) {
          if (
            await this.send({
              key: `inbox:${row.id}:escalation:${dueIso}:${head.username}`,
              template: 'attivita-escalation',
              to: head,
              tenantId: row.tenantId,
              processInstanceKey: row.processInstanceKey,
              data: { attivita: this.taskData(row) },
            })
          ) {
            counts.escalations++;
          }
        }
        continue;
      }
      // A reminder from the start of the day N working days before the due day.
      const calendar = calendarForProvince(province);
      const dueDay = DateTime.fromMillis(row.dueAt).setZone('Europe/Rome').startOf('day');
      let remindFrom = dueDay;
      for (let left = settings.reminderWorkingDaysBefore; left > 0;) {
        remindFrom = remindFrom.minus({ days: 1 });
        if (calendar.isWorkingDay(remindFrom)) left--;
      }
      if (now.getTime() < remindFrom.toMillis()) continue;
      const targets = row.assignee
        ? [row.assignee]
        : this.officeOf({ ...row, candidateUsers: row.candidateUsers }).map((p) => p.username);
      for (const username of targets) {
        const { to } = this.recipient(row.tenantId, username);
        if (!to) continue;
        if (
          await this.send({
            key: `inbox:${row.id}:reminder:${dueIso}:${to.username}`,
            template: 'attivita-promemoria',
            to,
            tenantId: row.tenantId,
            processInstanceKey: row.processInstanceKey,
            data: { attivita: this.taskData(row) },
          })
        ) {
          counts.reminders++;
        }
      }
    }
    counts.digests = await this.sendDigests(now);
    return counts;
  }

  private async sendDigests(now: Date): Promise<number> {
    let sent = 0;
    const rome = DateTime.fromJSDate(now).setZone('Europe/Rome');
    for (const province of this.opts.inbox.deps.config.provinces.values()) {
      if (rome.hour < inboxSettings(province).digestHour) continue;
      const day = rome.toISODate();
      for (const person of this.opts.directory.people(province.tenantId)) {
        if ((await this.prefs.mode(province.tenantId, person.username)) !== 'digest') continue;
        const actor = {
          tenantId: province.tenantId,
          username: person.username,
          name: person.name,
          roles: person.roles,
          comune: person.comune,
          permissions: new Set<string>(),
        };
        const viewer = this.opts.inbox.viewer(actor);
        const since = now.getTime() - 24 * 3600_000;
        const fresh = this.opts.inbox.index
          .query(viewer, { view: 'office', sort: 'created', limit: 50 })
          .items.filter((r) => r.createdAt >= since)
          .concat(
            this.opts.inbox.index
              .query(viewer, { view: 'mine', sort: 'updated', limit: 50 })
              .items.filter((r) => r.updatedAt >= since),
          );
        const counts = this.opts.inbox.index.counts(viewer);
        if (fresh.length === 0 && counts.mine + counts.overdue + counts.dueSoon === 0) continue;
        const unique = [...new Map(fresh.map((r) => [r.id, r])).values()];
        if (
          await this.send({
            key: `inbox:digest:${province.tenantId}:${person.username}:${day}`,
            template: 'attivita-riepilogo',
            to: person,
            tenantId: province.tenantId,
            processInstanceKey: '',
            data: {
              nuove: unique.map((r) => this.taskData(r)),
              conteggi: counts,
              linkAttivita: this.link('/attivita'),
            },
          })
        ) {
          sent++;
        }
      }
    }
    return sent;
  }
}
