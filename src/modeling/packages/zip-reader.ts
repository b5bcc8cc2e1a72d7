/**
 * Reads an uploaded package zip into memory with hard limits, before anything else
 * looks at it: at most 20 MiB compressed, 2,000 entries (checked from the central
 * directory before any entry is read), 10 MiB per file and 50 MiB in all once
 * uncompressed (zip bombs), and no entry outside the package folder (absolute paths,
 * "..", backslashes: zip slip). Any problem refuses the whole package.
 */
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { PackageRejectedError } from './package-errors';

export const MAX_PACKAGE_BYTES = 20 * 1024 * 1024;
export const MAX_PACKAGE_ENTRIES = 2000;
export const MAX_ENTRY_BYTES = 10 * 1024 * 1024;
export const MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024;

function unsafePath(name: string): string | undefined {
  if (name.includes('\\')) return 'contains a backslash';
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return 'is an absolute path';
  if (name.split('/').some((part) => part === '..')) return 'leaves the package folder ("..")';
  if (name.includes('\0')) return 'contains a NUL character';
  return undefined;
}

async function readEntry(zip: ZipFile, entry: Entry, budget: { left: number }): Promise<Buffer> {
  const stream = await zip.openReadStreamPromise(entry);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    budget.left -= (chunk as Buffer).length;
    if (size > MAX_ENTRY_BYTES) {
      stream.destroy();
      throw new PackageRejectedError(
        'entryTooLarge',
        `${entry.fileName} is larger than ${MAX_ENTRY_BYTES} bytes once uncompressed`,
        { file: entry.fileName, max: MAX_ENTRY_BYTES },
      );
    }
    if (budget.left < 0) {
      stream.destroy();
      throw new PackageRejectedError(
        'tooLarge',
        `the package is larger than ${MAX_UNCOMPRESSED_BYTES} bytes once uncompressed`,
        { max: MAX_UNCOMPRESSED_BYTES },
      );
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The files of the package by path ("manifest.json", "models/bpmn/x.bpmn", …). */
export async function readPackageZip(data: Buffer): Promise<Map<string, Buffer>> {
  if (!Buffer.isBuffer(data) || data.length === 0) {
    throw new PackageRejectedError('malformed', 'the upload is empty');
  }
  if (data.length > MAX_PACKAGE_BYTES) {
    throw new PackageRejectedError(
      'tooLarge',
      `the package is ${data.length} bytes, above the limit of ${MAX_PACKAGE_BYTES} (20 MiB)`,
      { bytes: data.length, max: MAX_PACKAGE_BYTES },
    );
  }
  let zip: ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(data, {
      lazyEntries: true,
      decodeStrings: true,
      validateEntrySizes: true,
    });
  } catch (err) {
    throw new PackageRejectedError('malformed', `not a valid zip file (${(err as Error).message})`);
  }
  if (zip.entryCount > MAX_PACKAGE_ENTRIES) {
    zip.close();
    throw new PackageRejectedError(
      'tooManyEntries',
      `the package has ${zip.entryCount} entries, above the limit of ${MAX_PACKAGE_ENTRIES}`,
      { entries: zip.entryCount, max: MAX_PACKAGE_ENTRIES },
    );
  }
  const files = new Map<string, Buffer>();
  const budget = { left: MAX_UNCOMPRESSED_BYTES };
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (err: Error) => {
        const message = err.message;
        if (/invalid relative path|absolute path|invalid characters in fileName/.test(message)) {
          const file = message.replace(/^[^:]*:\s*/, '');
          reject(
            new PackageRejectedError(
              'unsafePath',
              `the entry "${file}" ${unsafePath(file) ?? 'is outside the package folder'}`,
              { file },
            ),
          );
        } else {
          reject(new PackageRejectedError('malformed', `the zip file is damaged (${message})`));
        }
      });
      zip.on('end', () => resolve());
      zip.on('entry', (entry: Entry) => {
        const name = entry.fileName;
        const problem = unsafePath(name);
        if (problem) {
          reject(
            new PackageRejectedError('unsafePath', `the entry "${name}" ${problem}`, {
              file: name,
            }),
          );
          return;
        }
        if (name.endsWith('/')) {
          zip.readEntry();
          return;
        }
        if (files.has(name)) {
          reject(
            new PackageRejectedError('malformed', `the entry "${name}" appears twice`, {
              file: name,
            }),
          );
          return;
        }
        readEntry(zip, entry, budget).then(
          (content) => {
            files.set(name, content);
            zip.readEntry();
          },
          (err: unknown) =>
            reject(
              err instanceof PackageRejectedError
                ? err
                : new PackageRejectedError(
                    'malformed',
                    `the entry "${name}" cannot be read (${(err as Error).message})`,
                    { file: name },
                  ),
            ),
        );
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  return files;
}
