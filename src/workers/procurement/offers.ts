/** Offers as the staff record them, and their rebates. */
import type { Variables } from '../context';

export interface Offer {
  operatorName: string;
  vatNumber: string;
  email?: string;
  amount: number;
}

export function offersOf(variables: Variables): Offer[] {
  const list = Array.isArray(variables.offers) ? (variables.offers as Offer[]) : [];
  return list.filter((o) => o && typeof o.amount === 'number' && typeof o.vatNumber === 'string');
}

/** Rebate (ribasso) in percent: (base − offered) / base. */
export function rebatePercent(baseAmount: number, offered: number): number {
  if (!(baseAmount > 0)) return 0;
  return Math.round(((baseAmount - offered) / baseAmount) * 10000) / 100;
}
