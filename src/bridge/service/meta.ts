/** Health, meta data, categories and the audit log as the API shows them. */
import type { AuditEntry, Category, Health, Meta } from '../../optigem/schemas.ts';
import { API_VERSION } from '../../optigem/schemas.ts';
import { nightlyHealth } from '../../runner/nightly.ts';
import { BRIDGE_VERSION } from '../version.ts';
import type { AuditQuery } from '../state/audit.ts';
import { isoNow } from './deps.ts';
import type { ServiceDeps } from './deps.ts';

export class MetaService {
  constructor(private readonly deps: ServiceDeps) {}

  health(): Health {
    const s = this.deps.nightlyStatus?.();
    return {
      status: 'ok',
      version: BRIDGE_VERSION,
      apiVersion: API_VERSION,
      store: this.deps.store.kind,
      serverTime: isoNow(this.deps),
      ...(s ? { nightly: nightlyHealth(s) } : {}),
    };
  }

  meta(): Promise<Meta> {
    return this.deps.serial.run(async () => {
      const store = this.deps.store;
      return {
        version: BRIDGE_VERSION,
        store: store.kind,
        mandant: await store.mandant(),
        fiscalYears: await store.fiscalYears(),
        categories: await store.categories(),
        capabilities: {
          writePersons: this.deps.writePersons && !this.deps.readOnly,
          writeBookings: this.deps.writeBookings && !this.deps.readOnly,
          lastModified: store.modificationTracking === 'native' ? 'native' : 'shadow',
          idempotentCreate: true,
          archive: { mechanism: 'category', categoryId: store.archiveCategoryId },
        },
      };
    });
  }

  categories(): Promise<Category[]> {
    return this.deps.serial.run(() => this.deps.store.categories());
  }

  audit(query: AuditQuery): Promise<AuditEntry[]> {
    return this.deps.serial.run(async () => this.deps.state.audit.list(query));
  }
}
