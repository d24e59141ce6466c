/**
 * `optigem-sync couples`: the couple records of a connection as the sync sees them (detection
 * plus the admin's corrections from the module) and the ChurchTools spouses each is paired
 * with — the command-line view of Paare → Ehepaar-Datensätze. Reads only.
 */
import type { Connection, ExtensionStorage } from '../churchtools/index.ts';
import { BridgeClient, OptigemSystemPort } from '../optigem/index.ts';
import { coupleOfRecord, type CoupleConfidence, type CoupleReason } from '../sync/couples.ts';
import { personLabel } from '../sync/matching.ts';

export interface CoupleLine {
  readonly nr: string;
  readonly name: string;
  /** The first names the sync uses (after a correction); empty when corrected to "not a couple". */
  readonly firstNames: readonly string[];
  readonly confidence: CoupleConfidence | null;
  readonly reason: CoupleReason | null;
  readonly corrected: 'single' | 'couple' | null;
  /** ChurchTools person ids of the spouses the record is paired with (none before the first run). */
  readonly spouses: readonly string[];
}

export interface CouplesResult {
  readonly lines: readonly CoupleLine[];
  /** False when Optigem could not be read completely: the list may miss couple records. */
  readonly complete: boolean;
}

export async function coupleLines(storage: ExtensionStorage, connection: Connection, token: string): Promise<CouplesResult> {
  const port = new OptigemSystemPort(new BridgeClient({ baseUrl: connection.bridgeUrl, token }));
  const [read, pairs] = await Promise.all([port.readAll('person'), storage.pairs.load(connection.id, 'person')]);
  const corrections = new Map((connection.coupleCorrections ?? []).map((c) => [c.og, c]));
  const lines: CoupleLine[] = [];
  for (const record of read.records) {
    const detected = coupleOfRecord(record, undefined);
    const correction = corrections.get(record.id);
    if (!detected && !correction) continue;
    const effective = coupleOfRecord(record, corrections);
    lines.push({
      nr: record.id,
      name: personLabel(record, port.identity),
      firstNames: effective?.firstNames ?? [],
      confidence: effective?.confidence ?? null,
      reason: effective?.reason ?? null,
      corrected: correction?.kind ?? null,
      spouses: pairs.filter((pair) => pair.og === record.id && pair.sp !== undefined).map((pair) => pair.ct),
    });
  }
  return { lines, complete: read.complete };
}

export function coupleTable(result: CouplesResult): string {
  if (result.lines.length === 0) return 'No couple records.\n';
  const rows = result.lines.map((line) => {
    const names = line.corrected === 'single' ? 'not a couple (corrected)' : `${line.firstNames.join(' + ') || '(first names unknown)'} (${line.confidence}: ${line.reason})`;
    const paired = line.spouses.length > 0 ? `paired with ${line.spouses.map((id) => `#${id}`).join(' + ')}` : 'not paired';
    return `${line.nr.padStart(6)}  ${line.name}  →  ${names}; ${paired}`;
  });
  const warning = result.complete ? '' : 'Warning: Optigem could not be read completely; couple records may be missing.\n';
  return `${rows.join('\n')}\n${warning}`;
}
