/**
 * The files of the catalogue — documents attached to a practice and the process
 * packages — in one GridFS bucket (`practices_files`). The catalogue is shared by every
 * province, so the bucket is too; who may read a file is decided by the entry it
 * belongs to (catalogue.ts), never by knowing its id.
 *
 * Upload checks: documents up to 10 MiB, at most 10 per entry, the type decided by the
 * content (file-type, through src/tasks' detectType), never by the name; names
 * sanitised for storage and for Content-Disposition.
 */
import { Readable } from 'node:stream';
import { GridFSBucket, ObjectId, type Db } from 'mongodb';
import type { Connection } from 'mongoose';
import { ValidationError } from '../errors';
import { detectType, safeFileName } from '../tasks/attachments';

export const PRACTICE_FILES_BUCKET = 'practices_files';
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
export const MAX_DOCUMENTS = 10;
/** The same bound as the modeling import's (src/modeling/packages/zip-reader.ts). */
export const MAX_PACKAGE_BYTES = 20 * 1024 * 1024;

/** Types a practice's documents may have (as detected from the content) → shown label. */
export const DOCUMENT_TYPES: Record<string, string> = {
  'application/pdf': 'PDF',
  'application/vnd.oasis.opendocument.text': 'ODT',
  'application/vnd.oasis.opendocument.spreadsheet': 'ODS',
  'application/vnd.oasis.opendocument.presentation': 'ODP',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PowerPoint',
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
};

export interface UploadedFile {
  fileName: string;
  content: Buffer;
}

export interface StoredFile {
  id: string;
  fileName: string;
  size: number;
  contentType: string;
  uploadedAt: Date;
}

function fileError(field: string, code: string, message: string, params = {}): ValidationError {
  return new ValidationError(`${field}: ${message}`, [
    { field, message: `${field}: ${message}`, key: `practices.error.${code}`, params },
  ]);
}

export class PracticeFiles {
  constructor(private readonly connection: Connection) {}

  private bucket(): GridFSBucket {
    return new GridFSBucket(this.connection.db as unknown as Db, {
      bucketName: PRACTICE_FILES_BUCKET,
    });
  }

  /** Checks one document; returns its detected type or throws a 422 naming the file. */
  async checkDocument(file: UploadedFile, field = 'documents'): Promise<string> {
    const name = safeFileName(file.fileName);
    if (file.content.length === 0)
      throw fileError(field, 'fileEmpty', `"${name}" is empty`, { name });
    if (file.content.length > MAX_DOCUMENT_BYTES)
      throw fileError(field, 'fileTooLarge', `"${name}" is larger than 10 MiB`, {
        name,
        max: '10 MiB',
      });
    const type = await detectType(file.content);
    if (!type || !(type in DOCUMENT_TYPES))
      throw fileError(
        field,
        'fileType',
        `"${name}" is not a PDF, OpenDocument, Office document or image`,
        { name },
      );
    return type;
  }

  async store(
    file: UploadedFile,
    contentType: string,
    metadata: { practiceId: string; tenantId: string; role: 'document' | 'package' },
  ): Promise<StoredFile> {
    const fileName = safeFileName(file.fileName);
    const id = new ObjectId();
    await new Promise<void>((resolve, reject) => {
      const upload = this.bucket().openUploadStreamWithId(id, fileName, {
        metadata: { ...metadata, contentType },
      });
      Readable.from([file.content])
        .pipe(upload)
        .on('error', reject)
        .on('finish', () => resolve());
    });
    return {
      id: id.toHexString(),
      fileName,
      size: file.content.length,
      contentType,
      uploadedAt: new Date(),
    };
  }

  async read(id: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.bucket().openDownloadStream(new ObjectId(id)))
      chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async remove(id: string): Promise<void> {
    await this.bucket()
      .delete(new ObjectId(id))
      .catch(() => undefined);
  }
}

export function isFileId(id: unknown): id is string {
  return typeof id === 'string' && /^[0-9a-f]{24}$/.test(id);
}
