import { ProviderError } from '../common/provider-error';
import type { FaultConfig } from './fault-config.schema';
import type { FaultService, FaultState } from './fault.service';
import { ReplaceFaultsUseCase } from './replace-faults.use-case';

/** Records what would be installed; the storing itself is covered by faults.int-spec.ts. */
function useCase(): { replaceFaults: ReplaceFaultsUseCase; installed: FaultConfig[] } {
  const installed: FaultConfig[] = [];
  const faults = {
    replace: (config: FaultConfig) => {
      installed.push(config);
      return Promise.resolve({ config } as unknown as FaultState);
    },
  } as unknown as FaultService;
  return { replaceFaults: new ReplaceFaultsUseCase(faults), installed };
}

describe('replacing the fault configuration', () => {
  it.each([[undefined], [null], [[]], ['outage'], [5]])('refuses the body %p, naming it, and installs nothing', async (body) => {
    const { replaceFaults, installed } = useCase();
    const refusal = await replaceFaults.execute(body, 'merchant').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ProviderError);
    expect((refusal as ProviderError).status).toBe(400);
    expect((refusal as ProviderError).body.errors).toEqual([
      { field: '(body)', problem: 'must be a JSON object: the whole fault configuration, {} for none' },
    ]);
    expect(installed).toEqual([]);
  });

  it('installs an explicit {} as a configuration without faults', async () => {
    const { replaceFaults, installed } = useCase();
    await replaceFaults.execute({}, 'merchant');
    expect(installed).toEqual([{}]);
  });
});
