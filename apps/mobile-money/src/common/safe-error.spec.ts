import { safeError } from './safe-error';

describe('safeError', () => {
  it('keeps name, code, masked message and stack, and drops everything else', () => {
    const error = Object.assign(new Error('duplicate key for +22376123456'), {
      code: '23505',
      parameters: ['+22376123456', 1000],
      query: 'INSERT …',
    });
    error.name = 'QueryFailedError';
    const logged = safeError(error);
    expect(Object.keys(logged).sort()).toEqual(['code', 'message', 'name', 'stack']);
    expect(logged.message).toBe('duplicate key for [PHONE]');
    expect(JSON.stringify(logged)).not.toContain('76123456');
  });

  it('describes what is not an Error', () => {
    expect(safeError('boom')).toEqual({ name: 'NonError', message: 'boom' });
  });
});
