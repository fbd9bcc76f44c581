import { Injectable } from '@nestjs/common';
import { ProviderError } from '../common/provider-error';
import { faultConfigSchema } from './fault-config.schema';
import { FaultService, FaultState } from './fault.service';

/**
 * Validates and installs a new fault configuration (PUT), or switches every fault off (DELETE).
 * A body the schema refuses is answered 400 before anything is stored; a valid change is stored in
 * Postgres and stays in force across restarts and for every process sharing the database.
 */
@Injectable()
export class ReplaceFaultsUseCase {
  constructor(private readonly faults: FaultService) {}

  /** `body`: undefined when the request had none (or an empty one), which is refused as null is. */
  async execute(body: unknown, by: string): Promise<FaultState> {
    // A PUT replaces the whole configuration: a missing body must not be read as "no faults" and
    // clear them all (that is DELETE, or an explicit {}).
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      const problem = 'must be a JSON object: the whole fault configuration, {} for none';
      throw ProviderError.invalidRequest(`the fault configuration is invalid: (body) ${problem}`, [{ field: '(body)', problem }]);
    }
    const parsed = faultConfigSchema.safeParse(body);
    if (!parsed.success) {
      const errors = parsed.error.issues.map((issue) => ({
        field:
          issue.path
            .map((part, index) =>
              typeof part === 'number' ? `[${part}]` : `${index ? '.' : ''}${String(part)}`,
            )
            .join('') || '(body)',
        problem: issue.message,
      }));
      throw ProviderError.invalidRequest(
        `the fault configuration is invalid: ${errors.map((entry) => `${entry.field} ${entry.problem}`).join('; ')}`,
        errors,
      );
    }
    return this.faults.replace(parsed.data, by, 'replace');
  }

  clear(by: string): Promise<FaultState> {
    return this.faults.replace({}, by, 'clear');
  }
}
