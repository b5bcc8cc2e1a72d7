/**
 * The training line's records in MongoDB: campaigns and the comuni's progress,
 * validated self-assessments, the needs analysis and the adopted plan, the course
 * catalogue with seats and waiting lists, individual plans, and each participant's
 * outcome (attendance, test, certificate, evaluations). Every write is idempotent (a
 * job delivered twice changes nothing the second time) and every read is scoped by
 * tenant. No multi-document transactions, and no reliance on conditional updates
 * being atomic (FerretDB v1 on SQLite is not, under concurrency: a test showed 8 seats
 * given for 3): a seat is a document whose _id is the seat's number, so the unique
 * index on _id decides who gets it, and a second unique index (course, holder) keeps
 * one seat per person.
 */
import type { Collection, Document } from 'mongodb';
import type { Connection } from 'mongoose';
import { ensureIndex, isDuplicateKeyError } from '../db';
import type { Assessment, NeedsAnalysis } from './needs-analysis';
import type { ParticipantOutcome } from './certification';
import type { StaffMember } from './staff';

export type ComuneSurveyStatus = 'open' | 'completed' | 'missed';

export interface CampaignComune {
  comuneIstat: string;
  comuneName: string;
  employees: number;
  status: ComuneSurveyStatus;
  completedAt?: Date;
  remindedAt?: Date;
  escalatedAt?: Date;
}

export interface CampaignRecord {
  _id: string;
  tenantId: string;
  caseNumber: string;
  title: string;
  year: number;
  deadlineAt: Date;
  comuni: CampaignComune[];
  status: 'surveying' | 'analysed' | 'adopted';
  analysis?: NeedsAnalysis;
  plan?: Record<string, unknown>;
  createdAt: Date;
}

export interface AssessmentRecord extends Assessment {
  _id: string;
  tenantId: string;
  campaignKey: string;
  name: string;
  preferredPeriod?: string;
  notes?: string;
  validatedBy: string;
  recordedAt: Date;
}

export interface CourseRecord {
  _id: string;
  tenantId: string;
  processInstanceKey: string;
  courseCode: string;
  title: string;
  source: string;
  area: string;
  mandatory: boolean;
  mandatoryTopic?: string;
  mode: string;
  hours: number;
  sessions: { date: string; hours: number; topic?: string }[];
  seats: number;
  testQuestions: number;
  cost: number;
  fundingSource: string;
  tutorUsername: string;
  year: number;
  enrolmentClosesAt: Date;
  status: 'open' | 'closed' | 'completed' | 'cancelled';
  createdAt: Date;
}

/** Seat number `seat` of a course, held by one person. */
interface SeatRecord {
  _id: string;
  courseId: string;
  holder: string;
  claimedAt: Date;
}

/** A person waiting for a seat, first come first served. */
interface WaitingRecord {
  _id: string;
  courseId: string;
  username: string;
  since: Date;
}

export interface EnrolmentRecord {
  _id: string;
  tenantId: string;
  courseCode: string;
  username: string;
  name: string;
  email?: string;
  comuneIstat: string;
  office: string;
  head: string;
  individualPlanKey: string;
  enrolledAt: Date;
}

export interface ParticipationRecord extends ParticipantOutcome {
  _id: string;
  tenantId: string;
  courseCode: string;
  courseTitle: string;
  year: number;
  name: string;
  comuneIstat: string;
  office: string;
  certificateDocumentId?: string;
  reaction?: {
    relevance: number;
    quality: number;
    organisation: number;
    overall: number;
    comments?: string;
  };
  followUp?: { applied: string; improvement: number; examples?: string };
  recordedAt: Date;
}

export interface IndividualPlanRecord {
  _id: string;
  tenantId: string;
  username: string;
  comuneIstat: string;
  office: string;
  year: number;
  courses: { courseCode: string; title: string; hours: number; duringWorkingHours: boolean }[];
  plannedHours: number;
  meetsTarget: boolean;
  status: 'proposed' | 'agreed';
  updatedAt: Date;
}

export class CourseCodeTakenError extends Error {
  override name = 'CourseCodeTakenError';
}

export const TRAINING_COLLECTIONS = {
  campaigns: 'training_campaigns',
  assessments: 'training_assessments',
  courses: 'training_courses',
  enrolments: 'training_enrolments',
  seats: 'training_seats',
  waiting: 'training_waiting',
  participations: 'training_participations',
  individualPlans: 'training_individual_plans',
} as const;

export function createTrainingStore(connection: Connection) {
  const col = <T extends Document>(name: string): Collection<T> =>
    connection.db!.collection<T>(name);
  const campaigns = () => col<CampaignRecord>(TRAINING_COLLECTIONS.campaigns);
  const assessments = () => col<AssessmentRecord>(TRAINING_COLLECTIONS.assessments);
  const courses = () => col<CourseRecord>(TRAINING_COLLECTIONS.courses);
  const enrolments = () => col<EnrolmentRecord>(TRAINING_COLLECTIONS.enrolments);
  const participations = () => col<ParticipationRecord>(TRAINING_COLLECTIONS.participations);
  const plans = () => col<IndividualPlanRecord>(TRAINING_COLLECTIONS.individualPlans);
  const seats = () => col<SeatRecord>(TRAINING_COLLECTIONS.seats);
  const waiting = () => col<WaitingRecord>(TRAINING_COLLECTIONS.waiting);

  // The indexes the province-scoped lists use: [collection, keys, name].
  const INDEXES: [string, Record<string, 1>, string][] = [
    [TRAINING_COLLECTIONS.assessments, { tenantId: 1, campaignKey: 1 }, 'tenant_campaign'],
    [TRAINING_COLLECTIONS.courses, { tenantId: 1, status: 1 }, 'tenant_status'],
    [TRAINING_COLLECTIONS.participations, { tenantId: 1, year: 1 }, 'tenant_year'],
    [TRAINING_COLLECTIONS.individualPlans, { tenantId: 1, year: 1 }, 'tenant_year'],
  ];
  let indexes: Promise<void> | undefined;
  const ready = () =>
    (indexes ??= (async () => {
      for (const [collection, keys, name] of INDEXES) {
        await ensureIndex(connection, collection, keys, { name });
      }
    })());

  /** Takes the first free seat of the course for `holder`; false when all are taken. */
  async function claimSeat(course: CourseRecord, holder: string, now: Date): Promise<boolean> {
    const taken = new Set(
      (
        await seats()
          .find({ courseId: course._id }, { projection: { _id: 1 } })
          .toArray()
      ).map((s) => s._id),
    );
    for (let n = 0; n < course.seats; n++) {
      const seatId = `${course._id}:seat:${n}`;
      if (taken.has(seatId)) continue;
      try {
        await seats().insertOne({ _id: seatId, courseId: course._id, holder, claimedAt: now });
        return true;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        // Someone else took this seat, or `holder` already has one (unique per person).
        if (await seats().findOne({ courseId: course._id, holder })) return true;
      }
    }
    return false;
  }

  return {
    // ------------------------------------------------------------------ campaigns
    /** Creates the campaign once (a second delivery of the job keeps the first). */
    async createCampaign(record: CampaignRecord): Promise<void> {
      await ready();
      try {
        await campaigns().insertOne(record);
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
    },
    async campaign(tenantId: string, campaignKey: string): Promise<CampaignRecord | null> {
      return campaigns().findOne({ _id: campaignKey, tenantId });
    },
    async updateComune(
      tenantId: string,
      campaignKey: string,
      comuneIstat: string,
      patch: Partial<Pick<CampaignComune, 'status' | 'completedAt' | 'remindedAt' | 'escalatedAt'>>,
    ): Promise<void> {
      // By index, not with the positional operator "$" (FerretDB v1 lacks it); a comune's
      // place in the list never changes after the campaign is created.
      const campaign = await campaigns().findOne(
        { _id: campaignKey, tenantId },
        { projection: { comuni: 1 } },
      );
      const i = campaign?.comuni.findIndex((c) => c.comuneIstat === comuneIstat) ?? -1;
      if (i < 0) throw new Error(`Comune ${comuneIstat} is not part of campaign ${campaignKey}`);
      const set = Object.fromEntries(
        Object.entries(patch).map(([k, v]) => [`comuni.${i}.${k}`, v]),
      );
      await campaigns().updateOne({ _id: campaignKey, tenantId }, { $set: set });
    },
    async setCampaign(
      tenantId: string,
      campaignKey: string,
      patch: Partial<Pick<CampaignRecord, 'status' | 'analysis' | 'plan'>>,
    ): Promise<void> {
      await campaigns().updateOne({ _id: campaignKey, tenantId }, { $set: patch });
    },
    async campaignsOf(tenantId: string): Promise<CampaignRecord[]> {
      return campaigns()
        .find({ tenantId }, { projection: { analysis: 0 } })
        .sort({ createdAt: -1 })
        .toArray();
    },

    // ---------------------------------------------------------------- assessments
    /** One validated self-assessment per person and campaign; a correction replaces it. */
    async recordAssessment(record: AssessmentRecord): Promise<void> {
      await ready();
      await assessments().replaceOne({ _id: record._id }, record, { upsert: true });
    },
    async assessmentsOf(tenantId: string, campaignKey: string): Promise<AssessmentRecord[]> {
      return assessments().find({ tenantId, campaignKey }).toArray();
    },

    // -------------------------------------------------------------------- courses
    async openCourse(record: CourseRecord): Promise<CourseRecord> {
      await ready();
      try {
        await courses().insertOne(record);
        return record;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        const existing = await courses().findOne({ _id: record._id });
        if (existing && existing.processInstanceKey === record.processInstanceKey) return existing;
        throw new CourseCodeTakenError(
          `Il codice del corso ${record.courseCode} è già usato da un altro corso`,
        );
      }
    },
    async course(tenantId: string, courseCode: string): Promise<CourseRecord | null> {
      return courses().findOne({ _id: `${tenantId}:${courseCode}`, tenantId });
    },
    async catalogue(tenantId: string): Promise<CourseRecord[]> {
      return courses().find({ tenantId }).sort({ enrolmentClosesAt: 1 }).toArray();
    },
    /**
     * Enrols a person: a seat while there are any, else the waiting list. Seats are
     * claimed by inserting the seat's document (see the file comment), so concurrent
     * enrolments never take one seat twice. Repeating it for the same person returns
     * the same answer.
     */
    async enrol(
      tenantId: string,
      courseCode: string,
      person: StaffMember,
      individualPlanKey: string,
      now: Date,
    ): Promise<'confirmed' | 'waiting'> {
      await ready();
      const id = `${tenantId}:${courseCode}`;
      const course = await courses().findOne({ _id: id, tenantId });
      if (!course)
        throw new Error(`Course ${courseCode} is not in the catalogue of province ${tenantId}`);
      await enrolments().updateOne(
        { _id: `${id}:${person.username}` },
        {
          $setOnInsert: {
            tenantId,
            courseCode,
            username: person.username,
            name: person.name,
            email: person.email,
            comuneIstat: person.comuneIstat,
            office: person.office,
            head: person.head,
            individualPlanKey,
            enrolledAt: now,
          },
        },
        { upsert: true },
      );
      if (await seats().findOne({ courseId: id, holder: person.username })) return 'confirmed';
      if (course.status === 'open' && (await claimSeat(course, person.username, now))) {
        await waiting().deleteOne({ _id: `${id}:${person.username}` });
        return 'confirmed';
      }
      try {
        await waiting().insertOne({
          _id: `${id}:${person.username}`,
          courseId: id,
          username: person.username,
          since: now,
        });
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
      return 'waiting';
    },
    /** A person gives up their place; the first on the waiting list takes a freed seat. */
    async withdraw(
      tenantId: string,
      courseCode: string,
      username: string,
    ): Promise<{ promoted?: string }> {
      const id = `${tenantId}:${courseCode}`;
      const course = await courses().findOne({ _id: id, tenantId });
      if (!course) return {};
      const freed = await seats().deleteOne({ courseId: id, holder: username });
      await waiting().deleteOne({ _id: `${id}:${username}` });
      await enrolments().deleteOne({ _id: `${id}:${username}` });
      if (freed.deletedCount !== 1) return {};
      for (const next of await waiting().find({ courseId: id }).sort({ since: 1 }).toArray()) {
        if (await claimSeat(course, next.username, new Date())) {
          await waiting().deleteOne({ _id: next._id });
          return { promoted: next.username };
        }
      }
      return {};
    },
    /** Seat holders in the order they got their seat. */
    async seatHolders(tenantId: string, courseCode: string): Promise<string[]> {
      const list = await seats()
        .find({ courseId: `${tenantId}:${courseCode}` })
        .sort({ claimedAt: 1, _id: 1 })
        .toArray();
      return list.map((s) => s.holder);
    },
    async waitingList(tenantId: string, courseCode: string): Promise<string[]> {
      const list = await waiting()
        .find({ courseId: `${tenantId}:${courseCode}` })
        .sort({ since: 1 })
        .toArray();
      return list.map((w) => w.username);
    },
    /** Closes enrolment: the seat holders become the participants, in order. */
    async closeEnrolment(
      tenantId: string,
      courseCode: string,
    ): Promise<{ participants: EnrolmentRecord[]; waiting: EnrolmentRecord[] }> {
      const id = `${tenantId}:${courseCode}`;
      const course = await courses().findOne({ _id: id, tenantId });
      if (!course)
        throw new Error(`Course ${courseCode} is not in the catalogue of province ${tenantId}`);
      await courses().updateOne(
        { _id: id, tenantId, status: 'open' },
        { $set: { status: 'closed' } },
      );
      const people = await enrolments().find({ tenantId, courseCode }).toArray();
      const byName = new Map(people.map((p) => [p.username, p]));
      const pick = (names: string[]) =>
        names.map((n) => byName.get(n)).filter((p): p is EnrolmentRecord => !!p);
      return {
        participants: pick(await this.seatHolders(tenantId, courseCode)),
        waiting: pick(await this.waitingList(tenantId, courseCode)),
      };
    },
    async setCourseStatus(
      tenantId: string,
      courseCode: string,
      status: CourseRecord['status'],
    ): Promise<void> {
      await courses().updateOne(
        { _id: `${tenantId}:${courseCode}`, tenantId },
        { $set: { status } },
      );
    },

    // ------------------------------------------------------------ participations
    async recordOutcomes(records: ParticipationRecord[]): Promise<void> {
      await ready();
      for (const r of records) {
        const { reaction: _r, followUp: _f, certificateDocumentId: _c, ...outcome } = r;
        await participations().updateOne({ _id: r._id }, { $set: outcome }, { upsert: true });
      }
    },
    async participation(
      tenantId: string,
      courseCode: string,
      username: string,
    ): Promise<ParticipationRecord | null> {
      return participations().findOne({ _id: `${tenantId}:${courseCode}:${username}`, tenantId });
    },
    async setParticipation(
      tenantId: string,
      courseCode: string,
      username: string,
      patch: Partial<Pick<ParticipationRecord, 'certificateDocumentId' | 'reaction' | 'followUp'>>,
    ): Promise<void> {
      await participations().updateOne(
        { _id: `${tenantId}:${courseCode}:${username}`, tenantId },
        { $set: patch },
      );
    },
    async participationsOfYear(tenantId: string, year: number): Promise<ParticipationRecord[]> {
      return participations().find({ tenantId, year }).toArray();
    },
    async participationsOf(tenantId: string, username: string): Promise<ParticipationRecord[]> {
      return participations().find({ tenantId, username }).sort({ year: -1 }).toArray();
    },

    // ------------------------------------------------------------ individual plans
    async saveIndividualPlan(record: IndividualPlanRecord): Promise<void> {
      await ready();
      await plans().replaceOne({ _id: record._id }, record, { upsert: true });
    },
    async individualPlansOfYear(tenantId: string, year: number): Promise<IndividualPlanRecord[]> {
      return plans().find({ tenantId, year }).toArray();
    },
    async coursesOfYear(tenantId: string, year: number): Promise<CourseRecord[]> {
      return courses().find({ tenantId, year }).toArray();
    },
  };
}

export type TrainingStore = ReturnType<typeof createTrainingStore>;
