/**
 * What people do with the training line outside their inbox tasks: the training office
 * opens campaigns, courses and yearly reports, and closes enrolment early; heads of
 * office propose individual plans for their staff; everybody reads the catalogue and
 * their own hours and certificates. Every start is validated with its start form and
 * goes to the engine through the Zeebe client with the province as tenant. No express
 * here: src/web/training calls these functions, for the pages and the API alike.
 */
import type { Connection } from 'mongoose';
import type { AuditTrail } from '../audit';
import { can, requirePermission, type Principal } from '../auth';
import type { ProductConfig, ProvinceConfig, Settings } from '../config';
import { createDocumentStore, documentBytes } from '../documents';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import type { FormLocale, FormRegistry } from '../forms';
import type { ZeebeClient } from '../workers/runtime';
import { buildHoursReport, type HoursReport } from './hours-report';
import { trainingIndicators, type TrainingIndicators } from './indicators';
import { trainingSettingsOf, type TrainingSettings } from './settings';
import { staffMember, staffOf, type StaffMember } from './staff';
import { createTrainingStore, type CampaignRecord, type CourseRecord } from './training-store';

export const TRAINING_STARTS = {
  campaign: { bpmnProcessId: 'training-campaign', formKey: 'training-campaign' },
  course: { bpmnProcessId: 'training-course', formKey: 'training-course' },
  report: { bpmnProcessId: 'training-report', formKey: 'training-report' },
  'individual-plan': {
    bpmnProcessId: 'training-individual-plan',
    formKey: 'training-individual-plan',
  },
} as const;
export type TrainingStart = keyof typeof TRAINING_STARTS;

export function isTrainingStart(value: string): value is TrainingStart {
  return Object.prototype.hasOwnProperty.call(TRAINING_STARTS, value);
}

export interface TrainingServiceDeps {
  connection: Connection;
  config: ProductConfig;
  forms: FormRegistry;
  zeebe: ZeebeClient;
  audit: AuditTrail;
  /** The province's current settings (src/settings); engine-config when absent. */
  settingsOf?: (tenantId: string) => Promise<Settings>;
  now?: () => Date;
}

export interface CatalogueEntry extends Omit<CourseRecord, '_id' | 'createdAt'> {
  seatsTaken: number;
  waiting: number;
  /** The caller's own enrolment, if any. */
  myStatus?: 'confirmed' | 'waiting';
}

export interface MyTraining {
  year: number;
  target: number;
  certifiedHours: number;
  missingHours: number;
  member?: StaffMember;
  certificates: {
    courseCode: string;
    courseTitle: string;
    year: number;
    hours: number;
    documentId: string;
  }[];
  outcomes: {
    courseCode: string;
    courseTitle: string;
    attendancePercent: number;
    passedTest: boolean;
    certified: boolean;
  }[];
  /** Staff of the office the caller heads, with their hours this year. */
  office?: HoursReport['employees'];
}

export interface CampaignView extends Omit<CampaignRecord, 'comuni'> {
  comuni: (CampaignRecord['comuni'][number] & { answered: number })[];
}

export class TrainingService {
  private readonly store;

  constructor(private readonly deps: TrainingServiceDeps) {
    this.store = createTrainingStore(deps.connection);
  }

  private province(principal: Principal): ProvinceConfig {
    const province = this.deps.config.provinces.get(principal.tenantId);
    if (!province) throw new NotFoundError(`Province ${principal.tenantId} is not configured`);
    return province;
  }

  private async settings(tenantId: string): Promise<TrainingSettings> {
    const settings =
      (await this.deps.settingsOf?.(tenantId)) ??
      this.deps.config.provinces.get(tenantId)?.settings ??
      {};
    return trainingSettingsOf(settings);
  }

  private year(): number {
    return (this.deps.now?.() ?? new Date()).getFullYear();
  }

  // ------------------------------------------------------------------ reading

  async catalogue(principal: Principal): Promise<CatalogueEntry[]> {
    const courses = await this.store.catalogue(principal.tenantId);
    return Promise.all(
      courses.map(async ({ _id, createdAt: _c, ...course }) => {
        const [holders, waiting] = await Promise.all([
          this.store.seatHolders(principal.tenantId, course.courseCode),
          this.store.waitingList(principal.tenantId, course.courseCode),
        ]);
        const myStatus = holders.includes(principal.username)
          ? ('confirmed' as const)
          : waiting.includes(principal.username)
            ? ('waiting' as const)
            : undefined;
        return { ...course, seatsTaken: holders.length, waiting: waiting.length, myStatus };
      }),
    );
  }

  async myTraining(principal: Principal, year = this.year()): Promise<MyTraining> {
    const province = this.province(principal);
    const settings = await this.settings(principal.tenantId);
    const member = staffMember(province, principal.username);
    const mine = await this.store.participationsOf(principal.tenantId, principal.username);
    const thisYear = mine.filter((p) => p.year === year);
    const certifiedHours = thisYear.reduce((s, p) => s + (p.certified ? p.certifiedHours : 0), 0);
    const result: MyTraining = {
      year,
      target: settings.annualHoursTarget,
      certifiedHours,
      missingHours: Math.max(0, settings.annualHoursTarget - certifiedHours),
      member,
      certificates: mine
        .filter((p) => p.certified && p.certificateDocumentId)
        .map((p) => ({
          courseCode: p.courseCode,
          courseTitle: p.courseTitle,
          year: p.year,
          hours: p.certifiedHours,
          documentId: p.certificateDocumentId!,
        })),
      outcomes: mine.map((p) => ({
        courseCode: p.courseCode,
        courseTitle: p.courseTitle,
        attendancePercent: p.attendancePercent,
        passedTest: p.passedTest,
        certified: p.certified,
      })),
    };
    if (member && province.users.find((u) => u.username === member.username)?.headOfOffice) {
      const staff = staffOf(province, [member.comuneIstat]).filter(
        (s) => s.office === member.office,
      );
      const participations = await this.store.participationsOfYear(principal.tenantId, year);
      result.office = buildHoursReport(
        year,
        settings.annualHoursTarget,
        staff,
        participations
          .filter((p) => p.certified)
          .map((p) => ({ username: p.username, hours: p.certifiedHours })),
      ).employees;
    }
    return result;
  }

  async campaigns(principal: Principal): Promise<CampaignRecord[]> {
    requirePermission(principal, 'training.manage');
    return this.store.campaignsOf(principal.tenantId);
  }

  async campaign(principal: Principal, campaignKey: string): Promise<CampaignView> {
    requirePermission(principal, 'training.manage');
    const campaign = await this.store.campaign(principal.tenantId, campaignKey);
    if (!campaign) throw new NotFoundError(`Campaign ${campaignKey} not found`);
    const assessments = await this.store.assessmentsOf(principal.tenantId, campaignKey);
    return {
      ...campaign,
      comuni: campaign.comuni.map((c) => ({
        ...c,
        answered: assessments.filter((a) => a.comuneIstat === c.comuneIstat).length,
      })),
    };
  }

  /** The yearly hours against the target, for the province or one of its comuni. */
  async report(principal: Principal, year: number, comune?: string): Promise<HoursReport> {
    requirePermission(principal, 'training.manage');
    const province = this.province(principal);
    if (comune && !province.comuni.some((c) => c.istat === comune)) {
      throw new ValidationError(`comune ${comune} is not one of the province's comuni`, [
        { field: 'comune', message: `Il comune ${comune} non appartiene alla ${province.name}` },
      ]);
    }
    const settings = await this.settings(principal.tenantId);
    const participations = await this.store.participationsOfYear(principal.tenantId, year);
    return buildHoursReport(
      year,
      settings.annualHoursTarget,
      staffOf(province, comune ? [comune] : undefined),
      participations
        .filter((p) => p.certified)
        .map((p) => ({ username: p.username, hours: p.certifiedHours })),
    );
  }

  async indicators(
    principal: Principal,
    year: number,
    comune?: string,
  ): Promise<TrainingIndicators> {
    requirePermission(principal, 'training.manage');
    return trainingIndicators(
      this.store,
      this.province(principal),
      await this.settings(principal.tenantId),
      year,
      comune,
    );
  }

  /**
   * The same indicators for the analytics pages (analytics.read): the whole province and
   * each comune in the principal's scope (comune staff: their own comune only).
   */
  async indicatorsByComune(
    principal: Principal,
    year: number,
    comuni: { istat: string; name: string }[],
  ): Promise<{
    total: TrainingIndicators;
    perComune: { istat: string; name: string; indicators: TrainingIndicators }[];
  }> {
    requirePermission(principal, 'analytics.read');
    const province = this.province(principal);
    const settings = await this.settings(principal.tenantId);
    const total = await trainingIndicators(this.store, province, settings, year, principal.comune);
    const perComune = await Promise.all(
      comuni
        .filter((c) => !principal.comune || c.istat === principal.comune)
        .map(async (c) => ({
          ...c,
          indicators: await trainingIndicators(this.store, province, settings, year, c.istat),
        })),
    );
    return { total, perComune };
  }

  /** A certificate PDF: only its holder downloads it (the training office reads the case file). */
  async certificate(
    principal: Principal,
    documentId: string,
  ): Promise<{ fileName: string; contentType: string; bytes: Buffer }> {
    const mine = await this.store.participationsOf(principal.tenantId, principal.username);
    if (!mine.some((p) => p.certificateDocumentId === documentId)) {
      throw new NotFoundError('Certificate not found');
    }
    const doc = await createDocumentStore(this.deps.connection).get(principal.tenantId, documentId);
    if (!doc) throw new NotFoundError('Certificate not found');
    return { fileName: doc.fileName, contentType: doc.contentType, bytes: documentBytes(doc) };
  }

  // ----------------------------------------------------------------- changing

  /**
   * Starts a training process with its start form's data. Campaigns, courses and
   * reports are the training office's; an individual plan is proposed by the head of
   * the employee's office (or the training office).
   */
  async start(
    principal: Principal,
    what: TrainingStart,
    data: Record<string, unknown>,
    locale: FormLocale = 'it',
  ): Promise<{ processInstanceKey: string }> {
    const start = TRAINING_STARTS[what];
    requirePermission(principal, what === 'individual-plan' ? 'training.plan' : 'training.manage');
    const result = this.deps.forms.validate(start.formKey, data, { locale });
    if (!result.valid) {
      throw new ValidationError(
        `The ${start.formKey} form is not valid`,
        result.errors.map((e) => ({ field: e.field, message: e.message })),
      );
    }
    if (what === 'individual-plan') this.assertMayPlanFor(principal, String(data.employeeUsername));
    const created = await this.deps.zeebe.createProcessInstance({
      bpmnProcessId: start.bpmnProcessId,
      tenantId: principal.tenantId,
      variables: { ...data, startedBy: principal.username } as never,
    });
    const processInstanceKey = String(created.processInstanceKey);
    await this.deps.audit.record({
      key: `${processInstanceKey}:started`,
      tenantId: principal.tenantId,
      processInstanceKey,
      bpmnProcessId: start.bpmnProcessId,
      action: 'training.started',
      actor: principal.username,
      summary: `Avviato da ${principal.displayName}`,
      details: { what },
    });
    return { processInstanceKey };
  }

  private assertMayPlanFor(principal: Principal, employeeUsername: string): void {
    const province = this.province(principal);
    const employee = staffMember(province, employeeUsername);
    const invalid = () =>
      new ValidationError(`employeeUsername: ${employeeUsername} is not on the staff`, [
        {
          field: 'employeeUsername',
          message: `Dipendente (nome utente): «${employeeUsername}» non è nel personale registrato dei comuni della ${province.name}`,
        },
      ]);
    if (can(principal, 'training.manage')) {
      if (!employee) throw invalid();
      return;
    }
    // A head of office plans for the people of their own office only.
    if (!employee || employee.head !== principal.username) {
      if (!employee || employee.comuneIstat !== principal.comune) throw invalid();
      throw new ForbiddenError(
        `Only the head of ${employee.office} proposes the plans of its staff`,
        'training.plan',
      );
    }
  }

  /** The training office closes enrolment before its date (message to the course). */
  async closeEnrolment(principal: Principal, courseCode: string): Promise<void> {
    requirePermission(principal, 'training.manage');
    const course = await this.store.course(principal.tenantId, courseCode);
    if (!course) throw new NotFoundError(`Course ${courseCode} not found`);
    if (course.status !== 'open') {
      throw new ValidationError(`Enrolment of ${courseCode} is already closed`, [
        { field: 'courseCode', message: `Le iscrizioni al corso ${courseCode} sono già chiuse` },
      ]);
    }
    await this.deps.zeebe.publishMessage({
      name: 'trainingEnrolmentClose',
      correlationKey: courseCode,
      tenantId: principal.tenantId,
      variables: {},
      timeToLive: 60_000,
    });
  }
}
