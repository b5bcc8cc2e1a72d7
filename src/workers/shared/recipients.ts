/**
 * Who receives a notification, from the task header `recipients`: a comma list of
 * "comune" (the comune's PEC/e-mail and its RUP or contact), "requester",
 * "participants" (operators invited or who made an offer), "role:<role>" (the
 * province's users holding that role), "comuni:<variable>" (the comuni named by the
 * `comuneIstat` of each item of a list variable), "users:<variable>" (the province's users
 * named by a variable: a username, an object with `username`, or a list of either).
 */
import type { ServiceContext, Variables } from '../context';
import { provinceOf } from '../common/province';

function emailsOf(list: unknown, field = 'email'): string[] {
  if (!Array.isArray(list)) return [];
  return list
    .map((item) => (item && typeof item === 'object' ? (item as Variables)[field] : undefined))
    .filter((e): e is string => typeof e === 'string' && e.includes('@'));
}

export function resolveRecipients(
  ctx: ServiceContext,
  tenantId: string,
  recipients: string,
  variables: Variables,
): string[] {
  const province = provinceOf(ctx, tenantId);
  const out = new Set<string>();
  const add = (e: unknown) => {
    if (typeof e === 'string' && e.includes('@')) out.add(e);
  };
  for (const raw of recipients.split(',')) {
    const r = raw.trim();
    if (r === 'comune') {
      const comune = province.comuni.find((c) => c.istat === variables.comuneIstat);
      add(comune?.pec ?? comune?.email);
      add(variables.rupEmail);
      add(variables.contactEmail);
    } else if (r === 'requester') {
      add(variables.requesterEmail);
    } else if (r === 'participants') {
      emailsOf(variables.offers).forEach(add);
      emailsOf(variables.invitedOperators).forEach(add);
      const proposal = variables.awardProposal as Variables | undefined;
      add(proposal?.email);
    } else if (r.startsWith('comuni:')) {
      const list = variables[r.slice('comuni:'.length)];
      for (const item of Array.isArray(list) ? list : []) {
        const istat =
          item && typeof item === 'object' ? (item as Variables).comuneIstat : undefined;
        const comune = province.comuni.find((c) => c.istat === istat);
        add(comune?.pec ?? comune?.email);
      }
    } else if (r.startsWith('users:')) {
      const value = variables[r.slice('users:'.length)];
      const names = (Array.isArray(value) ? value : [value]).map((v) =>
        v && typeof v === 'object' ? (v as Variables).username : v,
      );
      province.users.filter((u) => names.includes(u.username)).forEach((u) => add(u.email));
    } else if (r.startsWith('role:')) {
      const role = r.slice('role:'.length);
      province.users
        .filter((u) => (u.roles as string[]).includes(role))
        .forEach((u) => add(u.email));
    } else if (r.length > 0) {
      throw new Error(`Unknown recipients "${r}" in the task header`);
    }
  }
  if (out.size === 0) add(province.pec ?? province.email);
  return [...out];
}
