import { AppError } from '@scholarpay/platform';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { openUploadSource, UploadSource } from './upload-source';

const BOUNDARY = 'x-boundary';
const CSV = 'national_id,first_name\nML1,Awa\n';

const part = (name: string, body: string) =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; filename="${name}.csv"\r\n` +
  `Content-Type: text/csv\r\n\r\n${body}`;

/** An in-memory request: the body arrives, then the request is complete (or hangs up first). */
function multipartRequest(): IncomingMessage & PassThrough & { complete: boolean } {
  const request = new PassThrough() as unknown as IncomingMessage & PassThrough & { complete: boolean };
  request.headers = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` };
  request.complete = false;
  return request;
}

function send(request: ReturnType<typeof multipartRequest>, body: string): void {
  request.complete = true;
  request.end(body);
}

async function readAll(source: UploadSource): Promise<string> {
  let text = '';
  for await (const piece of source.stream) text += String(piece);
  return text;
}

/** Reads the file only after other work (as the use case does after its database calls). */
async function readLate(source: UploadSource): Promise<string> {
  for (let turn = 0; turn < 5; turn += 1) await nextTurn();
  return readAll(source);
}

async function problemOf(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('openUploadSource (multipart)', () => {
  it('hands over the bytes of the "file" part once the whole form has been read', async () => {
    const request = multipartRequest();
    const opened = openUploadSource(request, 1024);
    send(request, `${part('file', CSV)}\r\n--${BOUNDARY}--\r\n`);
    const source = await opened;
    expect(source.fileName).toBe('file.csv');
    expect(await readAll(source)).toBe(CSV);
  });

  it('reports a file part cut off before its closing boundary to the reader, however late it reads', async () => {
    const request = multipartRequest();
    const opened = openUploadSource(request, 1024);
    send(request, part('file', CSV));
    const problem = await problemOf(readLate(await opened));
    expect(problem).toMatchObject({ code: 'IMPORT.MALFORMED_MULTIPART', kind: 'validation' });
    expect(problem.message).toContain('ended before its closing boundary');
  });

  it('refuses a body cut off after the file part, before the final boundary', async () => {
    const request = multipartRequest();
    const opened = openUploadSource(request, 1024);
    send(request, `${part('file', CSV)}\r\n--${BOUNDARY}\r\n`);
    expect(await problemOf(readLate(await opened))).toMatchObject({ code: 'IMPORT.MALFORMED_MULTIPART' });
  });

  it('refuses a body cut off inside another file part before any "file" part', async () => {
    const request = multipartRequest();
    const opened = openUploadSource(request, 1024);
    send(request, part('attachment', CSV));
    expect(await problemOf(opened)).toMatchObject({ code: 'IMPORT.MALFORMED_MULTIPART' });
  });

  it('tells the reader the upload was abandoned when the client hangs up mid-file', async () => {
    const request = multipartRequest();
    const opened = openUploadSource(request, 1024);
    request.write(part('file', CSV));
    const source = await opened;
    const reading = readAll(source);
    request.destroy();
    expect(await problemOf(reading)).toMatchObject({ code: 'IMPORT.UPLOAD_ABORTED' });
  });

  it('says a form without a "file" part has no file', async () => {
    const request = multipartRequest();
    const opened = openUploadSource(request, 1024);
    send(
      request,
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="note"\r\n\r\nMarch\r\n--${BOUNDARY}--\r\n`,
    );
    expect(await problemOf(opened)).toMatchObject({ code: 'IMPORT.NO_FILE' });
  });
});
