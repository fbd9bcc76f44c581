import Busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import type { AppError } from '@scholarpay/platform';
import { ImportErrors } from './imports.errors';

export interface UploadSource {
  /** The file's bytes, read as they arrive. */
  stream: Readable;
  fileName: string | null;
  /** Lets the rest of the request flow into the void after a refusal, so the answer can be sent. */
  discard(): void;
}

const csvContentTypes = new Set([
  'text/csv',
  'application/csv',
  'text/comma-separated-values',
  'text/plain',
  'application/vnd.ms-excel',
]);

/** Room for multipart boundaries and part headers on top of the file itself. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

export function mediaTypeOf(request: IncomingMessage): string {
  return (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * The uploaded file of a POST /student-imports, never buffered: the request body itself for
 * text/csv, or the part named "file" of a multipart/form-data body (read with busboy). A declared
 * length over the limit is refused before a byte is read.
 */
export async function openUploadSource(request: IncomingMessage, maxBytes: number): Promise<UploadSource> {
  const mediaType = mediaTypeOf(request);
  const declared = Number(request.headers['content-length'] ?? NaN);
  if (mediaType === 'multipart/form-data') {
    if (declared > maxBytes + MULTIPART_OVERHEAD_BYTES) throw ImportErrors.tooLarge(maxBytes);
    return openMultipartFile(request, maxBytes);
  }
  if (!csvContentTypes.has(mediaType))
    throw ImportErrors.unsupportedMediaType(request.headers['content-type']);
  if (declared > maxBytes) throw ImportErrors.tooLarge(maxBytes);
  return { stream: request, fileName: null, discard: () => request.resume() };
}

function openMultipartFile(request: IncomingMessage, maxBytes: number): Promise<UploadSource> {
  return new Promise<UploadSource>((resolve, reject) => {
    let parser: Busboy.Busboy;
    try {
      parser = Busboy({
        headers: request.headers,
        // One byte over the limit lets the inspector see the file is too large (busboy would cut it silently).
        limits: { files: 1, fileSize: maxBytes + 1, fields: 20, fieldSize: 64 * 1024, parts: 30 },
      });
    } catch (error) {
      reject(ImportErrors.malformedMultipart(error instanceof Error ? error.message : 'unreadable headers'));
      return;
    }
    // What the caller reads. busboy's own part stream is not handed out: busboy destroys it with an
    // error when the body breaks off, possibly before anyone reads it, and an 'error' nobody listens
    // to ends the process. Here every error has a listener from the start and reaches the reader as
    // an AppError when it reads.
    let file: PassThrough | null = null;
    let failed = false;
    const fail = (error: AppError) => {
      if (failed) return;
      failed = true;
      if (file) file.destroy(error);
      else reject(error);
    };
    const discard = () => {
      request.unpipe(parser);
      request.resume();
    };
    parser.on('file', (name, stream, info) => {
      stream.on('error', (error: Error) => fail(multipartProblem(error)));
      if (name !== 'file' || file) {
        stream.resume();
        return;
      }
      file = new PassThrough();
      // The error is kept on the stream and thrown to whoever reads it, however late.
      file.on('error', () => undefined);
      // Ended only when the whole form has been read: a body cut off after the file part is refused too.
      stream.pipe(file, { end: false });
      resolve({ stream: file, fileName: info.filename ?? null, discard });
    });
    parser.on('error', (error: Error) => fail(multipartProblem(error)));
    parser.on('close', () => {
      if (failed) return;
      if (file) file.end();
      else fail(ImportErrors.noFilePart());
    });
    // A client that hangs up mid-body: busboy never sees the end, so without this the reader would
    // wait (holding a database connection) for bytes that never come.
    request.on('close', () => {
      if (!request.complete) fail(ImportErrors.uploadAborted());
    });
    request.pipe(parser);
  });
}

/** busboy's complaint about a multipart body, in words the uploader can act on. */
function multipartProblem(error: Error): AppError {
  if (/^Unexpected end of (form|file)$/.test(error.message))
    return ImportErrors.malformedMultipart(
      'it ended before its closing boundary (the upload was cut off); send the file again',
    );
  return ImportErrors.malformedMultipart(error.message);
}
