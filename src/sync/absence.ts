/**
 * Before a run archives or deletes a record because its partner "no longer exists", it asks the
 * partner's system by id. A list read can miss a record that moved between two pages although
 * the read looked complete; a read by id cannot. A partner that turns out to exist stops the
 * removal (a logged skip), and so does a check that failed.
 */
import type { Domain, Message, SystemId } from './model.ts';
import { otherSystem } from './model.ts';
import type { Operation, Plan } from './plan.ts';
import type { SystemPort } from './ports.ts';

interface Claim {
  readonly system: SystemId;
  readonly id: string;
}

/** The records an operation takes to be gone: the partner of what it archives or deletes. */
function claimsOf(op: Operation): readonly Claim[] {
  if (op.op === 'archive' || op.op === 'delete') {
    const system = otherSystem(op.target);
    return [{ system, id: system === 'churchtools' ? op.ct : op.og }];
  }
  if (op.op === 'pair' && op.gone !== undefined) {
    const sides: readonly SystemId[] = op.gone === 'both' ? ['churchtools', 'optigem'] : [op.gone];
    return sides.map((system) => ({ system, id: system === 'churchtools' ? op.ct : op.og }));
  }
  return [];
}

export interface AbsenceVeto {
  readonly level: 'warning' | 'error';
  readonly message: Message;
}

/**
 * Per operation seq, why it must not run: its partner exists after all (warning), or nobody
 * could tell (error). Operations not in the answer may run. One call per system for all claims.
 */
export async function confirmAbsences(plan: Plan, domain: Domain, ports: Readonly<Record<SystemId, SystemPort>>): Promise<ReadonlyMap<number, AbsenceVeto>> {
  const claims = new Map<number, readonly Claim[]>();
  const asked: Record<SystemId, Set<string>> = { churchtools: new Set(), optigem: new Set() };
  for (const op of plan.operations) {
    const found = claimsOf(op);
    if (found.length === 0) continue;
    claims.set(op.seq, found);
    for (const claim of found) asked[claim.system].add(claim.id);
  }
  const vetoes = new Map<number, AbsenceVeto>();
  if (claims.size === 0) return vetoes;
  const existing: Record<SystemId, ReadonlySet<string> | { readonly failed: string }> = { churchtools: new Set(), optigem: new Set() };
  for (const system of ['churchtools', 'optigem'] as const) {
    const ids = [...asked[system]];
    const port = ports[system];
    if (ids.length === 0) continue;
    if (!port.findExisting) {
      existing[system] = { failed: `the ${system} adapter cannot look records up by id` };
      continue;
    }
    try {
      existing[system] = await port.findExisting(domain, ids);
    } catch (error) {
      existing[system] = { failed: error instanceof Error ? error.message : String(error) };
    }
  }
  for (const [seq, found] of claims) {
    for (const claim of found) {
      const known = existing[claim.system];
      if ('failed' in known) {
        vetoes.set(seq, { level: 'error', message: { key: 'log.remove.absenceUnconfirmed', args: { system: claim.system, id: claim.id, detail: known.failed } } });
        break;
      }
      if (known.has(claim.id)) {
        vetoes.set(seq, { level: 'warning', message: { key: 'log.remove.partnerExists', args: { system: claim.system, id: claim.id } } });
        break;
      }
    }
  }
  return vetoes;
}
