import Busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
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
    let found = false;
    const discard = () => {
      request.unpipe(parser);
      request.resume();
    };
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || found) {
        stream.resume();
        return;
      }
      found = true;
      resolve({ stream, fileName: info.filename ?? null, discard });
    });
    parser.on('error', (error: Error) => {
      if (!found) reject(ImportErrors.malformedMultipart(error.message));
    });
    parser.on('close', () => {
      if (!found) reject(ImportErrors.noFilePart());
    });
    request.on('aborted', () => {
      if (!found) reject(ImportErrors.uploadAborted());
    });
    request.pipe(parser);
  });
}
