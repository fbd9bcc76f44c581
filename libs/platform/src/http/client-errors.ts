import type { Socket } from 'node:net';

interface ClientErrorAnswer {
  statusCode: number;
  statusText: string;
  code: string;
  message: string;
}

/**
 * What to answer a request Node's HTTP parser refused before any route saw it (a raw non-ASCII
 * byte in the URL, a malformed header, headers too large, a request that took too long). Our own
 * error shape and a stable code, where Fastify would answer `{"message":"Client Error"}`.
 */
export function clientErrorAnswer(error: NodeJS.ErrnoException & { reason?: string }): ClientErrorAnswer {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { statusCode: 408, statusText: 'Request Timeout', code: 'REQUEST.TIMEOUT', message: 'the request was not received in time' };
  }
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return {
      statusCode: 431,
      statusText: 'Request Header Fields Too Large',
      code: 'REQUEST.HEADERS_TOO_LARGE',
      message: 'the request headers are too large',
    };
  }
  // llhttp's reasons ("Invalid header value char", …) name the problem without echoing the request.
  const reason = typeof error.reason === 'string' && error.reason.length > 0 ? `: ${error.reason}` : '';
  return {
    statusCode: 400,
    statusText: 'Bad Request',
    code: 'REQUEST.MALFORMED_HTTP',
    message: `the request is not valid HTTP${reason}; URLs must be percent-encoded (é is %C3%A9)`,
  };
}

/** Fastify's `clientErrorHandler`: answers in our error format, then closes the connection. */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  // The client is gone, or something already answered: nothing to say.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const answer = clientErrorAnswer(error);
  const body = JSON.stringify({ statusCode: answer.statusCode, code: answer.code, message: answer.message });
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${answer.statusCode} ${answer.statusText}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
