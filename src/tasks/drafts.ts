/**
 * Form drafts, saved on the server (autosave and "save draft"), one per task and
 * person, so they come back on any device. A draft is deleted only after the engine
 * acknowledged the completion of its task.
 */
import type { Connection } from 'mongoose';
import type { Collection } from 'mongodb';

export interface Draft {
  _id: string;
  taskId: string;
  tenantId: string;
  username: string;
  /** The (partially valid) form data. */
  values: Record<string, unknown>;
  savedAt: Date;
  /** The task version the draft was saved at. */
  taskVersion: number;
}

export class Drafts {
  constructor(private readonly connection: Connection) {}

  private collection(): Collection<Draft> {
    return this.connection.db!.collection<Draft>('inbox_drafts');
  }

  private id(taskId: string, username: string): string {
    return `${taskId}:${username}`;
  }

  async get(taskId: string, username: string): Promise<Draft | null> {
    return this.collection().findOne({ _id: this.id(taskId, username) });
  }

  async save(draft: Omit<Draft, '_id'>): Promise<Draft> {
    const doc: Draft = { ...draft, _id: this.id(draft.taskId, draft.username) };
    await this.collection().replaceOne({ _id: doc._id }, doc, { upsert: true });
    return doc;
  }

  async delete(taskId: string, username: string): Promise<void> {
    await this.collection().deleteOne({ _id: this.id(taskId, username) });
  }
}
