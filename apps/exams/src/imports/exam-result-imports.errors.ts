import { AppError } from '@scholarpay/platform';
import type { ColumnProblem } from './result-csv.rules';

export const ImportErrors = {
  notFound: (importId: string) =>
    AppError.notFound('IMPORT.NOT_FOUND', `import ${importId} does not exist`, { importId }),
  sessionIdMissing: () =>
    AppError.validation(
      'IMPORT.SESSION_ID_MISSING',
      'sessionId is required, as a query parameter or a form field',
      [{ field: 'sessionId', problem: 'is required' }],
    ),
  sessionIdInvalid: () =>
    AppError.validation('IMPORT.SESSION_ID_INVALID', 'sessionId must be a UUID', [
      { field: 'sessionId', problem: 'must be a UUID' },
    ]),
  unsupportedMediaType: (contentType: string | undefined) =>
    new AppError(
      'unsupported_media_type',
      'IMPORT.UNSUPPORTED_MEDIA_TYPE',
      `send the CSV as multipart/form-data (field "file") or as text/csv, not ${contentType ?? 'no content type'}`,
    ),
  fileMissing: () =>
    AppError.validation(
      'IMPORT.FILE_MISSING',
      'the request holds no file; send the CSV in the form field "file"',
      [{ field: 'file', problem: 'is required' }],
    ),
  tooManyFiles: () =>
    AppError.validation('IMPORT.TOO_MANY_FILES', 'send one CSV file per import', [
      { field: 'file', problem: 'must be a single file' },
    ]),
  tooLarge: (maxBytes: number) =>
    new AppError(
      'payload_too_large',
      'IMPORT.FILE_TOO_LARGE',
      `the file is larger than ${maxBytes} bytes; split it into several imports`,
      {
        maxBytes,
      },
    ),
  tooManyRows: (maxRows: number) =>
    new AppError(
      'payload_too_large',
      'IMPORT.TOO_MANY_ROWS',
      `the file has more than ${maxRows} rows; split it into several imports`,
      {
        maxRows,
      },
    ),
  emptyFile: () =>
    AppError.validation('IMPORT.EMPTY_FILE', 'the file is empty', [{ field: 'file', problem: 'is empty' }]),
  noRows: () =>
    AppError.validation('IMPORT.NO_ROWS', 'the file has a header but no result rows', [
      { field: 'file', problem: 'has no rows after the header' },
    ]),
  badHeader: (problems: readonly ColumnProblem[]) =>
    AppError.validation(
      'IMPORT.BAD_HEADER',
      `the header cannot be read: ${problems.map((p) => p.problem).join('; ')}`,
      problems.map((p) => ({ field: p.field, problem: p.problem })),
    ),
  malformed: (line: number | undefined, reason: string) =>
    AppError.validation(
      'IMPORT.MALFORMED_CSV',
      `the file is not valid CSV${line ? ` near line ${line}` : ''}: ${reason}`,
      [{ field: 'file', problem: `is not valid CSV${line ? ` near line ${line}` : ''}` }],
    ),
  malformedMultipart: (reason: string) =>
    AppError.validation('IMPORT.MALFORMED_UPLOAD', `the upload could not be read: ${reason}`, [
      { field: 'file', problem: 'could not be read' },
    ]),
};
