import { HttpException } from '@nestjs/common';
import { ProviderExceptionFilter } from './provider-exception.filter';

describe('ProviderExceptionFilter', () => {
  const filter = new ProviderExceptionFilter();

  it("answers Fastify's body parser failures in the provider's format", () => {
    expect(filter.toAnswer(new HttpException('Request body is too large', 413))).toEqual({
      status: 413,
      body: { code: 'PAYLOAD_TOO_LARGE', message: 'the request body is over the size limit' },
      headers: {},
    });
    const notJson = filter.toAnswer(
      new HttpException("Body is not valid JSON but content-type is set to 'application/json'", 400),
    );
    expect(notJson.status).toBe(400);
    expect(notJson.body.code).toBe('INVALID_REQUEST');
  });

  it('answers an unknown route with RESOURCE_NOT_FOUND', () => {
    expect(filter.toAnswer(new HttpException('Cannot GET /nowhere', 404)).body.code).toBe('RESOURCE_NOT_FOUND');
  });
});
