/**
 * The staff of the comuni that the training line addresses: the province's users with
 * a comune and a role band. The head of an office (headOfOffice) validates the
 * self-assessments of the people in that office; a head validates their own.
 */
import type { ProvinceConfig } from '../config';
import type { RoleBand } from './syllabus';

export interface StaffMember {
  username: string;
  name: string;
  email?: string;
  comuneIstat: string;
  office: string;
  roleBand: RoleBand;
  /** Username of the head of the office. */
  head: string;
}

export class StaffRegistryError extends Error {
  override name = 'StaffRegistryError';
}

export function staffOf(province: ProvinceConfig, comuni?: string[]): StaffMember[] {
  const wanted = comuni && comuni.length > 0 ? new Set(comuni) : undefined;
  const people = province.users.filter(
    (u) => u.comune && u.roleBand && (!wanted || wanted.has(u.comune)),
  );
  return people.map((u) => {
    const office = u.office ?? 'Ufficio non indicato';
    const head = people.find(
      (p) => p.comune === u.comune && p.office === u.office && p.headOfOffice,
    );
    if (!head) {
      throw new StaffRegistryError(
        `No head of office for "${office}" of comune ${u.comune}: mark one user of that office with headOfOffice`,
      );
    }
    return {
      username: u.username,
      name: u.name,
      email: u.email,
      comuneIstat: u.comune!,
      office,
      roleBand: u.roleBand as RoleBand,
      head: head.username,
    };
  });
}

export function staffMember(province: ProvinceConfig, username: string): StaffMember | undefined {
  return staffOf(province).find((s) => s.username === username);
}
