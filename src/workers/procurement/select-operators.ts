/**
 * Job type procurement.selectOperators: picks the operators to invite to a negotiated
 * procedure from the platform's register: at least the minimum the DMN decided
 * (where they exist), never the outgoing contractor (rotation, art. 49), and those
 * invited least often first. The choice is stored per job, so a redelivered job
 * invites the same operators and counts them once.
 */
import type { ServiceHandler } from '../context';
import { ensureIndex, isDuplicateKeyError } from '../../db';
import type { EconomicOperator } from '../adapters';

const SELECTIONS = 'operatorSelections';
const ROTATION = 'operatorRotation';

export const selectOperators: ServiceHandler = async (job, ctx) => {
  const v = job.variables;
  const procedure = (v.procedure ?? {}) as { minOperators?: number };
  const wanted = Math.max(1, Number(procedure.minOperators ?? 5));
  const db = ctx.connection.db!;
  const selections = db.collection<{ key: string; operators: EconomicOperator[] }>(SELECTIONS);
  await ensureIndex(ctx.connection, SELECTIONS, { key: 1 }, { unique: true, name: 'key_unique' });
  const key = `${job.key}:selectOperators`;
  let operators: EconomicOperator[];
  const existing = await selections.findOne({ key });
  if (existing) {
    operators = existing.operators;
  } else {
    const excluded = new Set(
      [v.outgoingContractorVat].filter((x): x is string => typeof x === 'string'),
    );
    const register = (
      await ctx.adapters.platform.listOperators(job.tenantId, String(v.cpv))
    ).filter((o) => !excluded.has(o.vatNumber));
    const rotation = db.collection<{ tenantId: string; vatNumber: string; invitations: number }>(
      ROTATION,
    );
    const counts = new Map(
      (await rotation.find({ tenantId: job.tenantId }).toArray()).map((r) => [
        r.vatNumber,
        r.invitations,
      ]),
    );
    operators = [...register]
      .sort(
        (a, b) =>
          (counts.get(a.vatNumber) ?? 0) - (counts.get(b.vatNumber) ?? 0) ||
          a.vatNumber.localeCompare(b.vatNumber),
      )
      .slice(0, wanted);
    try {
      await selections.insertOne({ key, operators });
      for (const o of operators) {
        await rotation.updateOne(
          { tenantId: job.tenantId, vatNumber: o.vatNumber },
          { $inc: { invitations: 1 } },
          { upsert: true },
        );
      }
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err;
      operators = (await selections.findOne({ key }))!.operators;
    }
  }
  const invitedOperators = operators.map(({ name, vatNumber, email }) => ({
    name,
    vatNumber,
    email,
  }));
  return {
    variables: { invitedOperators, invitedCount: invitedOperators.length },
    summary: `Selezionati ${invitedOperators.length} operatori da invitare (minimo ${wanted})`,
    details: {
      invitedOperators,
      minimum: wanted,
      outgoingContractorExcluded: v.outgoingContractorVat ?? null,
    },
  };
};
