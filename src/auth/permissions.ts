/**
 * The one permission table: which role of DOMAIN.md holds which named permission.
 *
 * Every route of the web app names one permission from here (src/web/README.md), the
 * menu shows an entry only to holders of its permission, and domain functions check
 * them with `can()`. To add a permission for your area, add one row to your area's
 * section below (the key is the permission, the value the roles that hold it); the
 * `Permission` type follows, so a typo in a route table fails the typecheck.
 *
 * Rows are data, not code: keep them sorted by area and write why a role holds a
 * permission when it is not obvious.
 */
import { ROLES, type Role } from '../config/schema/province';

export { ROLES, type Role };

/** Roles whose holders belong to one comune; they see only that comune's data. */
export const COMUNE_ROLES: readonly Role[] = ['comune-rup', 'comune-officer'];

/** Every province-level staff role (not comune staff). */
const PROVINCE_STAFF: Role[] = [
  'province-admin',
  'analyst',
  'sua-officer',
  'sua-manager',
  'sape-officer',
  'data-officer',
  'dpo',
  'training-officer',
  'viewer',
];

const PERMISSION_TABLE = {
  // --- inbox, requests, cases (issue 11) ---
  /** Work tasks: list, claim, release, fill in and complete forms, comment, attach. */
  'tasks.work': [
    // The administrator works the inbox to reassign and to pin the province's default views.
    'province-admin',
    'sua-officer',
    'sua-manager',
    'sape-officer',
    'data-officer',
    'dpo',
    'comune-rup',
    'comune-officer',
    'training-officer',
  ],
  /** Assign a task to a colleague, set due dates and priority, bulk operations. */
  'tasks.assign': ['province-admin', 'sua-manager'],
  /** See every task of the province (of their comune, for comune staff), not only their office's. */
  'tasks.viewAll': ['province-admin', 'sua-manager'],
  /** Share a saved view of the inbox with one's office. */
  'views.share': ['province-admin', 'sua-manager', 'sua-officer', 'sape-officer', 'data-officer'],
  /** Pin default views for everybody of the province. */
  'views.pin': ['province-admin'],
  /** Start a request (procurement, EU funding, data) for one's comune. */
  'requests.start': ['comune-rup', 'comune-officer'],
  /** Read case files (fascicoli) in one's scope; the viewer reads everything read-only. */
  'cases.read': [
    'province-admin',
    'sua-officer',
    'sua-manager',
    'sape-officer',
    'data-officer',
    'dpo',
    'comune-rup',
    'comune-officer',
    'training-officer',
    'viewer',
  ],

  // --- training and good practices (issue 14) ---
  /** Run the training line: campaigns, catalogue, courses, yearly reports of the province. */
  'training.manage': ['province-admin', 'training-officer'],
  /**
   * Propose individual training plans: the head of an office for its staff (checked
   * against the staff registry), the training office for anybody.
   */
  'training.plan': ['comune-rup', 'comune-officer', 'training-officer', 'province-admin'],

  // --- modeling and settings (issue 12) ---
  'models.edit': ['province-admin', 'analyst'],
  /** Analysts deploy their province's models (issue 12's check deploys as an analyst). */
  'models.deploy': ['province-admin', 'analyst'],
  'settings.edit': ['province-admin'],
  /** Publish a process package as good practice for other provinces. */
  'practices.publish': ['province-admin', 'analyst'],

  // --- good-practice catalogue (issue 14; reading it only needs a signed-in person) ---
  /** Record an adoption of another province's practice, its adoption report, comments. */
  'practices.adopt': ['province-admin', 'analyst'],

  // --- monitoring and analytics (issue 13) ---
  'monitoring.read': ['province-admin', 'analyst', 'sua-manager', 'viewer'],
  /** Retry incidents, edit variables, cancel, modify and migrate instances. */
  'monitoring.operate': ['province-admin', 'sua-manager'],
  /** Move tokens (ModifyProcessInstance) and migrate instances: administrators only. */
  'monitoring.modify': ['province-admin'],
  'analytics.read': ['province-admin', 'analyst', 'sua-manager', 'viewer'],
  /** Define the province's alert thresholds. */
  'analytics.alerts': ['province-admin'],

  // --- people and access (issue 10) ---
  'users.manage': ['province-admin'],
  'security-log.read': ['province-admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSION_TABLE;

export const PERMISSIONS = Object.keys(PERMISSION_TABLE) as Permission[];

/** role → its permissions, derived once from the table. */
const ROLE_PERMISSIONS: ReadonlyMap<Role, ReadonlySet<Permission>> = new Map(
  ROLES.map((role) => [
    role,
    new Set(PERMISSIONS.filter((p) => (PERMISSION_TABLE[p] as readonly Role[]).includes(role))),
  ]),
);

export function isPermission(value: string): value is Permission {
  return Object.prototype.hasOwnProperty.call(PERMISSION_TABLE, value);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** The union of the permissions of the given roles. */
export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  const out = new Set<Permission>();
  for (const role of roles) for (const p of ROLE_PERMISSIONS.get(role) ?? []) out.add(p);
  return out;
}

/** The roles that hold a permission (for documentation and the IDOR matrix). */
export function rolesWith(permission: Permission): Role[] {
  return [...(PERMISSION_TABLE[permission] as readonly Role[])];
}

export function isComuneRole(role: Role): boolean {
  return COMUNE_ROLES.includes(role);
}

export function isProvinceRole(role: Role): boolean {
  return PROVINCE_STAFF.includes(role);
}
