/**
 * The yearly report: certified hours per employee in a calendar year against the
 * annual target (settings.annualHoursTarget), with totals per comune and office.
 * Pure: the caller gives the staff and the certificates of the year.
 */
import type { StaffMember } from './staff';

export interface CertifiedHours {
  username: string;
  hours: number;
}

export interface EmployeeHours {
  username: string;
  name: string;
  comuneIstat: string;
  office: string;
  roleBand: string;
  certifiedHours: number;
  target: number;
  meetsTarget: boolean;
  missingHours: number;
}

export interface GroupHours {
  comuneIstat: string;
  office?: string;
  employees: number;
  certifiedHours: number;
  hoursPerCapita: number;
  employeesMeetingTarget: number;
  shareMeetingTarget: number;
}

export interface HoursReport {
  year: number;
  target: number;
  employees: EmployeeHours[];
  perComune: GroupHours[];
  perOffice: GroupHours[];
  totals: {
    employees: number;
    certifiedHours: number;
    hoursPerCapita: number;
    shareMeetingTarget: number;
  };
}

const round = (n: number) => Math.round(n * 100) / 100;

function group(rows: EmployeeHours[], comuneIstat: string, office?: string): GroupHours {
  const hours = rows.reduce((s, r) => s + r.certifiedHours, 0);
  const meeting = rows.filter((r) => r.meetsTarget).length;
  return {
    comuneIstat,
    ...(office !== undefined ? { office } : {}),
    employees: rows.length,
    certifiedHours: round(hours),
    hoursPerCapita: rows.length ? round(hours / rows.length) : 0,
    employeesMeetingTarget: meeting,
    shareMeetingTarget: rows.length ? round(meeting / rows.length) : 0,
  };
}

export function buildHoursReport(
  year: number,
  target: number,
  staff: StaffMember[],
  certificates: CertifiedHours[],
): HoursReport {
  const hoursOf = new Map<string, number>();
  for (const c of certificates) hoursOf.set(c.username, (hoursOf.get(c.username) ?? 0) + c.hours);
  const employees = staff
    .map((s): EmployeeHours => {
      const certifiedHours = round(hoursOf.get(s.username) ?? 0);
      return {
        username: s.username,
        name: s.name,
        comuneIstat: s.comuneIstat,
        office: s.office,
        roleBand: s.roleBand,
        certifiedHours,
        target,
        meetsTarget: certifiedHours >= target,
        missingHours: round(Math.max(0, target - certifiedHours)),
      };
    })
    .sort(
      (a, b) =>
        a.comuneIstat.localeCompare(b.comuneIstat) ||
        a.office.localeCompare(b.office) ||
        a.name.localeCompare(b.name),
    );
  const comuni = [...new Set(employees.map((e) => e.comuneIstat))];
  const perComune = comuni.map((c) =>
    group(
      employees.filter((e) => e.comuneIstat === c),
      c,
    ),
  );
  const perOffice = comuni.flatMap((c) =>
    [...new Set(employees.filter((e) => e.comuneIstat === c).map((e) => e.office))].map((o) =>
      group(
        employees.filter((e) => e.comuneIstat === c && e.office === o),
        c,
        o,
      ),
    ),
  );
  const all = group(employees, '');
  return {
    year,
    target,
    employees,
    perComune,
    perOffice,
    totals: {
      employees: all.employees,
      certifiedHours: all.certifiedHours,
      hoursPerCapita: all.hoursPerCapita,
      shareMeetingTarget: all.shareMeetingTarget,
    },
  };
}
