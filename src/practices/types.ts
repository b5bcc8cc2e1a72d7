/** The documents of the good-practice catalogue and who acts on them. */
import type { ApplyResult, ModelKind } from '../modeling';
import type { PracticeInput } from './entry-input';
import type { StoredFile } from './practice-files';

export const PRACTICES = 'practices';
export const PRACTICE_ADOPTIONS = 'practice_adoptions';
export const PRACTICE_COMMENTS = 'practice_comments';

export const PERMISSION_PUBLISH = 'practices.publish';
export const PERMISSION_ADOPT = 'practices.adopt';

/** Who acts: a Principal of src/auth satisfies it. */
export interface PracticeActor {
  tenantId: string;
  username: string;
  displayName: string;
  comune?: string;
  permissions: ReadonlySet<string>;
}

export interface Author {
  username: string;
  displayName: string;
}

export interface PracticePackage {
  file: StoredFile;
  sha256: string;
  name: string;
  version: string;
  license: string;
  models: { kind: ModelKind; key: string; name: string }[];
}

export type PracticeStatus = 'published' | 'withdrawn';

export interface PracticeDoc extends PracticeInput {
  _id: string;
  /** The publishing province: the only one that may change or withdraw the entry. */
  tenantId: string;
  provinceName: string;
  status: PracticeStatus;
  /** Bumped by every change; a change made on an older revision is refused (409). */
  revision: number;
  documents: StoredFile[];
  package?: PracticePackage;
  createdAt: Date;
  createdBy: Author;
  updatedAt: Date;
  updatedBy: Author;
  withdrawal?: { at: Date; by: Author; reason: string };
}

export const ADOPTION_OUTCOMES = ['in-use', 'trial', 'abandoned'] as const;
export type AdoptionOutcome = (typeof ADOPTION_OUTCOMES)[number];

/** One province's use of one practice (one document per practice and province). */
export interface AdoptionDoc {
  /** `<practiceId>:<tenantId>` */
  _id: string;
  practiceId: string;
  tenantId: string;
  provinceName: string;
  /** Set once the province imported the package or declared the adoption. */
  adoptedAt?: Date;
  adoptedBy?: Author;
  /** The modeling import waiting for the province's confirmation (its report). */
  pendingImport?: { importId: string; at: Date; by: Author; packageSha256: string };
  imports: {
    importId: string;
    at: Date;
    by: Author;
    packageVersion: string;
    result: ApplyResult;
  }[];
  report?: { outcome: AdoptionOutcome; text: string; updatedAt: Date; by: Author };
}

export interface CommentDoc {
  _id: string;
  practiceId: string;
  tenantId: string;
  provinceName: string;
  author: Author;
  text: string;
  createdAt: Date;
}
