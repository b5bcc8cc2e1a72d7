/**
 * JSON Schema of a province file (engine-config/provinces/<ISTAT>.yaml): who the
 * province is, its comuni, who holds which role, which processes it runs, and the
 * settings it overrides (validated separately, after merging with default.yaml).
 */
const istatProvince = { type: 'string', pattern: '^[0-9]{3}$' } as const;
const istatComune = { type: 'string', pattern: '^[0-9]{6}$' } as const;
const email = { type: 'string', format: 'email' } as const;

export const ROLES = [
  'province-admin',
  'analyst',
  'sua-officer',
  'sua-manager',
  'sape-officer',
  'data-officer',
  'dpo',
  'comune-rup',
  'comune-officer',
  'training-officer',
  'viewer',
] as const;
export type Role = (typeof ROLES)[number];

export const PROCESS_LINES = ['procurement', 'eu-funding', 'data-request', 'training'] as const;

export const provinceFileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['province', 'comuni'],
  properties: {
    province: {
      type: 'object',
      additionalProperties: false,
      required: ['istat', 'name'],
      properties: {
        istat: istatProvince,
        name: { type: 'string', minLength: 3 },
        pec: email,
        email,
        codiceFiscale: { type: 'string', pattern: '^[0-9]{11}$' },
      },
    },
    comuni: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['istat', 'name'],
        properties: {
          istat: istatComune,
          name: { type: 'string', minLength: 1 },
          pec: email,
          email,
          /** Qualified contracting authority (D.Lgs. 36/2023 art. 62-63). */
          qualified: { type: 'boolean' },
        },
      },
    },
    users: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['username', 'name', 'roles'],
        properties: {
          username: { type: 'string', pattern: '^[a-z0-9._-]{3,40}$' },
          name: { type: 'string', minLength: 1 },
          email,
          roles: { type: 'array', minItems: 1, items: { enum: ROLES } },
          comune: istatComune,
          /** The office (ufficio) the person works in. */
          office: { type: 'string', minLength: 1, maxLength: 100 },
          /** Training line: the employee's role band (CCNL Funzioni Locali areas, or dirigente). */
          roleBand: {
            enum: ['dirigente', 'funzionario', 'istruttore', 'operatore-esperto', 'operatore'],
          },
          /** Training line: the person heads their office and validates its staff's self-assessments. */
          headOfOffice: { type: 'boolean' },
          /** Checked with codice-fiscale-js at load; maps OIDC/SPID sign-ins to the account. */
          codiceFiscale: { type: 'string', pattern: '^[A-Z0-9]{16}$' },
        },
      },
    },
    enabledProcesses: { type: 'array', items: { enum: PROCESS_LINES }, uniqueItems: true },
    /**
     * OpenID Connect sign-in through the province's identity provider or a SPID/CIE
     * OIDC gateway (src/auth/oidc.ts). The client secret is never in this file: it is
     * read from the environment variable named by clientSecretEnv.
     */
    oidc: {
      type: 'object',
      additionalProperties: false,
      required: ['issuer', 'clientId'],
      properties: {
        issuer: { type: 'string', pattern: '^https?://' },
        clientId: { type: 'string', minLength: 1 },
        clientSecretEnv: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$' },
        /** The claim holding the codice fiscale (SPID: fiscal_number, "TINIT-<CF>"). */
        fiscalCodeClaim: { type: 'string', minLength: 1 },
        scope: { type: 'string', minLength: 1 },
        /** The sign-in button's label, e.g. "Entra con SPID o CIE". */
        label: { type: 'string', minLength: 1, maxLength: 80 },
      },
    },
    settings: { type: 'object' },
  },
} as const;
