import busboy from 'busboy';
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ImportErrors } from './exam-result-imports.errors';

export interface UploadedCsv {
  fileName: string;
  content: Buffer;
  sha256: string;
  /** Form fields sent with the file (sessionId may come this way). */
  fields: Record<string, string>;
}

const RAW_CSV_TYPES = ['text/csv', 'application/csv', 'text/plain', 'application/vnd.ms-excel'];

/**
 * Reads the uploaded CSV from the request stream, hashing it as it arrives and refusing it as soon
 * as it grows past the limit: multipart/form-data (field "file", plus optional form fields) or a raw
 * text/csv body. Nothing else is buffered.
 */
export function readCsvUpload(request: IncomingMessage, maxBytes: number): Promise<UploadedCsv> {
  const contentType = request.headers['content-type'];
  const mediaType = contentType?.split(';')[0].trim().toLowerCase();
  if (mediaType === 'multipart/form-data') return readMultipart(request, maxBytes);
  if (mediaType && RAW_CSV_TYPES.includes(mediaType)) return readRawBody(request, maxBytes);
  request.resume();
  return Promise.reject(ImportErrors.unsupportedMediaType(contentType));
}

function readRawBody(request: IncomingMessage, maxBytes: number): Promise<UploadedCsv> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    request.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > maxBytes) {
        failed = true;
        reject(ImportErrors.tooLarge(maxBytes));
        return;
      }
      hash.update(chunk);
      chunks.push(chunk);
    });
    request.on('error', (error) => !failed && reject(ImportErrors.malformedMultipart(error.message)));
    request.on('end', () => {
      if (failed) return;
      const name = String(request.headers['x-file-name'] ?? 'results.csv').slice(0, 200);
      resolve({ fileName: name, content: Buffer.concat(chunks), sha256: hash.digest('hex'), fields: {} });
    });
  });
}

function readMultipart(request: IncomingMessage, maxBytes: number): Promise<UploadedCsv> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: request.headers,
        limits: { fileSize: maxBytes, files: 1, fields: 20, fieldSize: 4096, parts: 30 },
      });
    } catch (error) {
      request.resume();
      reject(ImportErrors.malformedMultipart(error instanceof Error ? error.message : String(error)));
      return;
    }
    const fields: Record<string, string> = {};
    let file: { fileName: string; chunks: Buffer[]; hash: ReturnType<typeof createHash> } | null = null;
    let failure: unknown = null;
    let fileDone: Promise<void> = Promise.resolve();
    const fail = (error: unknown) => {
      if (failure) return;
      failure = error;
      request.unpipe(parser);
      request.resume(); // discard what the client still sends until the answer closes the connection
      reject(error);
    };

    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (_name, stream, info) => {
      if (file) {
        stream.resume();
        fail(ImportErrors.tooManyFiles());
        return;
      }
      const current = {
        fileName: (info.filename || 'results.csv').slice(0, 200),
        chunks: [] as Buffer[],
        hash: createHash('sha256'),
      };
      file = current;
      fileDone = new Promise((done) => {
        stream.on('data', (chunk: Buffer) => {
          current.hash.update(chunk);
          current.chunks.push(chunk);
        });
        stream.on('limit', () => fail(ImportErrors.tooLarge(maxBytes)));
        stream.on('close', () => done());
      });
    });
    parser.on('filesLimit', () => fail(ImportErrors.tooManyFiles()));
    parser.on('error', (error: Error) => fail(ImportErrors.malformedMultipart(error.message)));
    parser.on('close', () => {
      void fileDone.then(() => {
        if (failure) return;
        if (!file) {
          reject(ImportErrors.fileMissing());
          return;
        }
        resolve({
          fileName: file.fileName,
          content: Buffer.concat(file.chunks),
          sha256: file.hash.digest('hex'),
          fields,
        });
      });
    });
    request.pipe(parser);
  });
}
