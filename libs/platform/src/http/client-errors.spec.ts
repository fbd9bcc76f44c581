import { clientErrorAnswer } from './client-errors';

function parserError(code: string, reason?: string): NodeJS.ErrnoException & { reason?: string } {
  return Object.assign(new Error('Parse Error'), { code, reason });
}

describe('clientErrorAnswer', () => {
  it('names a malformed request with the parser reason and how to encode a URL', () => {
    expect(clientErrorAnswer(parserError('HPE_INVALID_URL', 'Invalid URL'))).toEqual({
      statusCode: 400,
      statusText: 'Bad Request',
      code: 'REQUEST.MALFORMED_HTTP',
      message: 'the request is not valid HTTP: Invalid URL; URLs must be percent-encoded (é is %C3%A9)',
    });
  });

  it('says too-large headers and a slow request apart from malformed ones', () => {
    expect(clientErrorAnswer(parserError('HPE_HEADER_OVERFLOW'))).toMatchObject({ statusCode: 431, code: 'REQUEST.HEADERS_TOO_LARGE' });
    expect(clientErrorAnswer(parserError('ERR_HTTP_REQUEST_TIMEOUT'))).toMatchObject({ statusCode: 408, code: 'REQUEST.TIMEOUT' });
  });

  it('leaves the reason out when the parser gives none', () => {
    expect(clientErrorAnswer(parserError('HPE_INVALID_METHOD')).message).toBe(
      'the request is not valid HTTP; URLs must be percent-encoded (é is %C3%A9)',
    );
  });
});
