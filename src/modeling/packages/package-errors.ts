/** Why a package was refused: one reason, named, with nothing written. */
import { ValidationError } from '../../errors';

export type PackageProblem =
  | 'malformed'
  | 'tooLarge'
  | 'tooManyEntries'
  | 'entryTooLarge'
  | 'unsafePath'
  | 'badChecksum'
  | 'missingManifest'
  | 'invalidManifest'
  | 'unlistedFile'
  | 'invalidModel';

export class PackageRejectedError extends ValidationError {
  constructor(
    readonly problem: PackageProblem,
    detail: string,
    params: Record<string, unknown> = {},
  ) {
    super(`package refused (${problem}): ${detail}`, [
      {
        field: 'package',
        message: `package: ${detail}`,
        key: `modeling.package.error.${problem}`,
        params: { ...params, detail },
      },
    ]);
    this.name = 'PackageRejectedError';
  }
}
