/**
 * Attachments of tasks and cases, stored in the database with GridFS (one bucket per
 * province: `attachments_<ISTAT>`). Limits: 20 MiB per file; the type is decided by the
 * content (file-type), never by the name, and must be on the allow-list: PDF (and
 * PDF/A), signed .p7m (CMS SignedData), XML, images, office documents.
 *
 * file-type cannot recognise .p7m files (DER-encoded CMS has no magic number), so
 * that one check is written here: an ASN.1 SEQUENCE holding the SignedData OID
 * 1.2.840.113549.1.7.2 near the start.
 */
import { Readable } from 'node:stream';
import type { Connection } from 'mongoose';
import { GridFSBucket, ObjectId, type Db } from 'mongodb';
import { inputError } from './errors';

export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

/** Allowed content types (as detected) → what the user is told. */
export const ALLOWED_TYPES: Record<string, string> = {
  'application/pdf': 'PDF',
  'application/pkcs7-mime': 'p7m',
  'application/xml': 'XML',
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/tiff': 'TIFF',
  'image/webp': 'WebP',
  'image/gif': 'GIF',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PowerPoint',
  'application/vnd.oasis.opendocument.text': 'ODT',
  'application/vnd.oasis.opendocument.spreadsheet': 'ODS',
  'application/vnd.oasis.opendocument.presentation': 'ODP',
  'application/x-cfb': 'Office 97-2003',
};

const SIGNED_DATA_OID = Buffer.from('06092a864886f70d010702', 'hex');

export function looksLikeP7m(content: Buffer): boolean {
  return (
    content.length > 16 && content[0] === 0x30 && content.subarray(0, 64).includes(SIGNED_DATA_OID)
  );
}

export async function detectType(content: Buffer): Promise<string | undefined> {
  const { fileTypeFromBuffer } = await import('file-type');
  const detected = await fileTypeFromBuffer(content);
  if (detected) return detected.mime;
  return looksLikeP7m(content) ? 'application/pkcs7-mime' : undefined;
}

/** A file name safe to store and to send back in Content-Disposition. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? 'documento';
  const cleaned = [...base]
    .map((ch) =>
      ch.charCodeAt(0) < 32 || ch.charCodeAt(0) === 127 || '"<>|:*?'.includes(ch) ? '_' : ch,
    )
    .join('')
    .trim()
    .slice(0, 200);
  return cleaned || 'documento';
}

export interface AttachmentMeta {
  tenantId: string;
  processInstanceKey: string;
  taskId?: string;
  field?: string;
  uploadedBy: string;
  contentType: string;
}

export interface StoredAttachment {
  id: string;
  fileName: string;
  size: number;
  contentType: string;
  uploadedAt: Date;
  meta: AttachmentMeta;
}

export class Attachments {
  constructor(private readonly connection: Connection) {}

  private bucket(tenantId: string): GridFSBucket {
    if (!/^[0-9]{3}$/.test(tenantId)) throw new Error(`Invalid tenant ${tenantId}`);
    return new GridFSBucket(this.connection.db as unknown as Db, {
      bucketName: `attachments_${tenantId}`,
    });
  }

  /** Size and type by content: the content type, or a 422 error naming the field. */
  async check(content: Buffer, field = 'file'): Promise<string> {
    if (content.length === 0) throw inputError(field, 'fileEmpty');
    if (content.length > MAX_ATTACHMENT_BYTES) throw inputError(field, 'fileTooLarge');
    const contentType = await detectType(content);
    if (!contentType || !(contentType in ALLOWED_TYPES)) {
      throw inputError(field, 'fileTypeNotAllowed');
    }
    return contentType;
  }

  /** Checks size and type, then stores the file. Refusals are 422 errors naming the field. */
  async store(
    fileName: string,
    content: Buffer,
    meta: Omit<AttachmentMeta, 'contentType'>,
    field = 'file',
  ): Promise<StoredAttachment> {
    const contentType = await this.check(content, field);
    const name = safeFileName(fileName);
    const id = new ObjectId();
    const full: AttachmentMeta = { ...meta, contentType };
    await new Promise<void>((resolve, reject) => {
      const upload = this.bucket(meta.tenantId).openUploadStreamWithId(id, name, {
        metadata: full,
      });
      Readable.from([content])
        .pipe(upload)
        .on('error', reject)
        .on('finish', () => resolve());
    });
    return {
      id: id.toHexString(),
      fileName: name,
      size: content.length,
      contentType,
      uploadedAt: new Date(),
      meta: full,
    };
  }

  /** The file's description, or null (also for an id of another province: buckets are per province). */
  async describe(tenantId: string, id: string): Promise<StoredAttachment | null> {
    if (!/^[0-9a-f]{24}$/.test(id)) return null;
    const files = await this.bucket(tenantId)
      .find({ _id: new ObjectId(id) })
      .toArray();
    const f = files[0];
    if (!f) return null;
    const meta = f.metadata as AttachmentMeta;
    if (meta?.tenantId !== tenantId) return null;
    return {
      id,
      fileName: f.filename,
      size: f.length,
      contentType: meta.contentType,
      uploadedAt: f.uploadDate,
      meta,
    };
  }

  open(tenantId: string, id: string): NodeJS.ReadableStream {
    return this.bucket(tenantId).openDownloadStream(new ObjectId(id));
  }

  async read(tenantId: string, id: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.bucket(tenantId).openDownloadStream(new ObjectId(id))) {
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }
}
