/**
 * Comments and attachments, kept per case (process instance) and linked to the task
 * they were written on. Apart from the task itself, so that a colleague's comment does
 * not make an open form stale: the task's version changes only when the task does
 * (assignment, dates, state).
 */
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { ChangeFeed } from './store/change-feed';
import { VersionedStore, type Change, type Versioned } from './store/versioned-store';
import type { TaskAttachmentRef, TaskComment } from './types';

export interface CaseComment extends TaskComment {
  taskId?: string;
}

export interface CaseAttachment extends TaskAttachmentRef {
  taskId?: string;
  uploadedByName?: string;
  onBehalfOf?: string;
}

export interface CaseNotesDoc extends Versioned {
  /** "<tenantId>:<processInstanceKey>" */
  _id: string;
  tenantId: string;
  processInstanceKey: string;
  comments: CaseComment[];
  attachments: CaseAttachment[];
}

export const MAX_COMMENTS_PER_CASE = 2000;
export const MAX_ATTACHMENTS_PER_CASE = 500;

export class CaseNotes {
  readonly store: VersionedStore<CaseNotesDoc>;

  constructor(connection: Connection, feed: ChangeFeed) {
    this.store = new VersionedStore<CaseNotesDoc>(
      connection,
      'inbox_case_notes',
      feed,
      'caseNotes',
    );
  }

  static id(tenantId: string, processInstanceKey: string): string {
    return `${tenantId}:${processInstanceKey}`;
  }

  async get(tenantId: string, processInstanceKey: string): Promise<CaseNotesDoc> {
    const id = CaseNotes.id(tenantId, processInstanceKey);
    return (
      (await this.store.get(id)) ?? {
        _id: id,
        version: 0,
        tenantId,
        processInstanceKey,
        comments: [],
        attachments: [],
      }
    );
  }

  private async change(
    tenantId: string,
    processInstanceKey: string,
    mutate: (doc: CaseNotesDoc) => CaseNotesDoc,
    change: Change,
  ): Promise<CaseNotesDoc> {
    const id = CaseNotes.id(tenantId, processInstanceKey);
    if (!(await this.store.get(id))) {
      const empty: CaseNotesDoc = {
        _id: id,
        version: 1,
        tenantId,
        processInstanceKey,
        comments: [],
        attachments: [],
      };
      const created = await this.store.create(mutate(empty), change);
      if (created.created) return created.doc;
    }
    return this.store.update(id, undefined, mutate, change);
  }

  async addComment(
    tenantId: string,
    processInstanceKey: string,
    comment: Omit<CaseComment, 'id'>,
    change: Change,
  ): Promise<CaseComment> {
    const full: CaseComment = { ...comment, id: randomUUID() };
    await this.change(
      tenantId,
      processInstanceKey,
      (d) => {
        if (d.comments.length >= MAX_COMMENTS_PER_CASE)
          throw new Error('Too many comments on this case');
        return { ...d, comments: [...d.comments, full] };
      },
      change,
    );
    return full;
  }

  async addAttachment(
    tenantId: string,
    processInstanceKey: string,
    attachment: CaseAttachment,
    change: Change,
  ): Promise<void> {
    await this.change(
      tenantId,
      processInstanceKey,
      (d) => {
        if (d.attachments.length >= MAX_ATTACHMENTS_PER_CASE)
          throw new Error('Too many attachments on this case');
        return { ...d, attachments: [...d.attachments, attachment] };
      },
      change,
    );
  }
}
