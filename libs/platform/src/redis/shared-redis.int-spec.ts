import { once } from 'node:events';
import net from 'node:net';
import { createSharedRedis } from './shared-redis';

/** A loopback port nothing listens on. */
async function deadPort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('createSharedRedis', () => {
  it('reports an unreachable Redis once in the service log, not as stack traces on stderr at every retry', async () => {
    const printed = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    const logger = { warn: jest.fn() };
    const redis = createSharedRedis(`redis://127.0.0.1:${await deadPort()}`, logger);
    const fiveAttempts = new Promise<void>((resolve) => {
      let attempts = 0;
      redis.on('reconnecting', () => {
        if (++attempts === 5) resolve();
      });
    });
    try {
      await fiveAttempts;
      expect(printed).not.toHaveBeenCalled();
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.warn.mock.calls[0]).toEqual([
        expect.objectContaining({ connection: 'shared', code: 'ECONNREFUSED' }),
        'Redis connection problem',
      ]);
    } finally {
      redis.disconnect();
      printed.mockRestore();
    }
  });
});
