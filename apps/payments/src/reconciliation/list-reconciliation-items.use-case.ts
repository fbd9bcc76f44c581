import { Injectable } from '@nestjs/common';
import { AppError } from '@scholarpay/platform';
import { DataSource } from 'typeorm';
import type { ReconciliationItem, ReconciliationKind } from './reconciliation.rules';
import { ReconciliationRepository } from './reconciliation.repository';

/** One page of a reconciliation's items (matched ones included), optionally of one kind. */
@Injectable()
export class ListReconciliationItemsUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reconciliations: ReconciliationRepository,
  ) {}

  async execute(id: string, query: { kind?: ReconciliationKind; cursor?: string; limit?: number }): Promise<{ items: ReconciliationItem[]; nextCursor: string | null }> {
    if (!(await this.reconciliations.find(this.dataSource.manager, id))) {
      throw AppError.notFound('RECONCILIATION.NOT_FOUND', `no reconciliation ${id}`, { id });
    }
    const limit = query.limit ?? 100;
    const items = await this.reconciliations.items(this.dataSource.manager, id, {
      kinds: query.kind ? [query.kind] : undefined,
      afterId: query.cursor,
      limit,
    });
    return { items: items.map(({ id: _id, ...item }) => item), nextCursor: items.length === limit ? items[items.length - 1].id : null };
  }
}
