import { FaultConfigState, StoredFaultConfigInvalidError, StoredFaultChange } from './fault-config-state';

const change = (overrides: Partial<StoredFaultChange> = {}): StoredFaultChange => ({
  id: 7,
  action: 'replace',
  config: { seed: 11, global: { errorRate: 0.25 } },
  seed: 11,
  changedBy: 'scholarpay-payments',
  changedAt: new Date('2026-03-01T10:00:00.000Z'),
  ...overrides,
});

describe('FaultConfigState', () => {
  it('takes the environment configuration as version 0, seeded from its own seed or the default', () => {
    const bootedAt = new Date('2026-03-01T09:00:00.000Z');
    expect(FaultConfigState.fromEnvironment({ global: { errorRate: 0.5 } }, 3, bootedAt)).toEqual({
      version: 0,
      config: { global: { errorRate: 0.5 } },
      seed: 3,
      changedBy: 'environment',
      changedAt: '2026-03-01T09:00:00.000Z',
      source: { kind: 'environment' },
    });
    expect(FaultConfigState.fromEnvironment({ seed: 42 }, 3, bootedAt).seed).toBe(42);
  });

  it('takes a stored change with who set it, when, and the seed it stored', () => {
    expect(FaultConfigState.fromStoredChange(change(), 1)).toEqual({
      version: 7,
      config: { seed: 11, global: { errorRate: 0.25 } },
      seed: 11,
      changedBy: 'scholarpay-payments',
      changedAt: '2026-03-01T10:00:00.000Z',
      source: {
        kind: 'admin',
        changeId: 7,
        action: 'replace',
        clientId: 'scholarpay-payments',
        changedAt: '2026-03-01T10:00:00.000Z',
      },
    });
  });

  it('keeps the stored seed even when this process has another default', () => {
    const stored = change({ config: { global: { errorRate: 0.1 } }, seed: 99 });
    expect(FaultConfigState.fromStoredChange(stored, 5).seed).toBe(99);
  });

  it('reads a change recorded before persistence (no action, no seed)', () => {
    const cleared = FaultConfigState.fromStoredChange(change({ action: null, seed: null, config: {} }), 5);
    expect(cleared.seed).toBe(5);
    expect(cleared.source).toMatchObject({ kind: 'admin', action: 'clear' });
    const replaced = FaultConfigState.fromStoredChange(
      change({ action: null, seed: null, config: { seed: 8, outage: true } }),
      5,
    );
    expect(replaced.seed).toBe(8);
    expect(replaced.source).toMatchObject({ action: 'replace' });
  });

  it('refuses a stored configuration the schema no longer accepts, naming the change and masking numbers', () => {
    const invalid = change({ config: { msisdns: { '+22376000001': { errorRate: 2 } } } });
    let error: unknown;
    try {
      FaultConfigState.fromStoredChange(invalid, 1);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StoredFaultConfigInvalidError);
    const message = (error as Error).message;
    expect(message).toContain('fault_config_changes id 7');
    expect(message).toContain('errorRate');
    expect(message).not.toContain('76000001');
  });

  it('installs only a newer change (never the same or an older one twice)', () => {
    expect(FaultConfigState.supersedes({ version: 8 }, { version: 7 })).toBe(true);
    expect(FaultConfigState.supersedes({ version: 7 }, { version: 7 })).toBe(false);
    expect(FaultConfigState.supersedes({ version: 6 }, { version: 7 })).toBe(false);
    expect(FaultConfigState.supersedes({ version: 1 }, { version: 0 })).toBe(true);
  });

  it('seeds a configuration from its own seed, else the default', () => {
    expect(FaultConfigState.effectiveSeed({ seed: 0 }, 9)).toBe(0);
    expect(FaultConfigState.effectiveSeed({}, 9)).toBe(9);
  });
});
