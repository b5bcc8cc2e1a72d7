/**
 * Generated documents (determina, lettera d'invito, verbale, datasets): stored in the
 * database once per key. A job delivered twice creates one document: the unique
 * index on `key` refuses the second insert and the first document is returned.
 */
import type { Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import { randomUUID } from 'node:crypto';
import { ensureIndex, isDuplicateKeyError } from '../db';

export const DOCUMENTS_COLLECTION = 'documents';

export interface StoredDocument {
  documentId: string;
  key: string;
  tenantId: string;
  processInstanceKey: string;
  /** Template or kind, e.g. "determina-aggiudicazione", "dataset". */
  kind: string;
  title: string;
  fileName: string;
  contentType: string;
  /** The text itself, or (encoding "base64") the bytes of a binary file such as a PDF. */
  content: string;
  encoding?: 'utf8' | 'base64';
  createdAt: Date;
}

/** The bytes of a stored document, whatever its encoding (for downloads). */
export function documentBytes(doc: Pick<StoredDocument, 'content' | 'encoding'>): Buffer {
  return Buffer.from(doc.content, doc.encoding === 'base64' ? 'base64' : 'utf8');
}

export type NewDocument = Omit<StoredDocument, 'documentId' | 'createdAt'>;

export interface DocumentStore {
  /** Creates the document, or returns the one already created with the same key. */
  createOnce(doc: NewDocument): Promise<{ document: StoredDocument; created: boolean }>;
  get(tenantId: string, documentId: string): Promise<StoredDocument | null>;
  listForInstance(tenantId: string, processInstanceKey: string): Promise<StoredDocument[]>;
}

export function createDocumentStore(connection: Connection): DocumentStore {
  const collection = (): Collection<StoredDocument> =>
    connection.db!.collection<StoredDocument>(DOCUMENTS_COLLECTION);
  const ensureIndexes = async () => {
    await ensureIndex(
      connection,
      DOCUMENTS_COLLECTION,
      { key: 1 },
      { unique: true, name: 'key_unique' },
    );
    await ensureIndex(
      connection,
      DOCUMENTS_COLLECTION,
      { tenantId: 1, documentId: 1 },
      { name: 'tenant_document' },
    );
    await ensureIndex(
      connection,
      DOCUMENTS_COLLECTION,
      { tenantId: 1, processInstanceKey: 1 },
      { name: 'tenant_instance' },
    );
  };
  return {
    async createOnce(doc) {
      await ensureIndexes();
      const document: StoredDocument = { ...doc, documentId: randomUUID(), createdAt: new Date() };
      try {
        await collection().insertOne({ ...document });
        return { document, created: true };
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
        const existing = await collection().findOne({ key: doc.key }, { projection: { _id: 0 } });
        if (!existing) throw err;
        return { document: existing as StoredDocument, created: false };
      }
    },
    async get(tenantId, documentId) {
      return (await collection().findOne(
        { tenantId, documentId },
        { projection: { _id: 0 } },
      )) as StoredDocument | null;
    },
    async listForInstance(tenantId, processInstanceKey) {
      return (await collection()
        .find({ tenantId, processInstanceKey }, { projection: { _id: 0, content: 0 } })
        .sort({ createdAt: 1 })
        .toArray()) as StoredDocument[];
    },
  };
}
