import { AppError } from '@scholarpay/platform';
import { describeBytes, UploadProblem } from './csv/csv-upload-inspector';

export const ImportErrors = {
  notFound: (id: string) => AppError.notFound('IMPORT.NOT_FOUND', `no import has the id ${id}`),
  forbidden: () =>
    AppError.forbidden('IMPORT.FORBIDDEN', 'a school administrator may see only the imports they uploaded'),
  unsupportedMediaType: (contentType: string | undefined) =>
    new AppError(
      'unsupported_media_type',
      'IMPORT.UNSUPPORTED_MEDIA_TYPE',
      `${contentType ? `content type ${contentType.split(';')[0]} is not accepted` : 'the request has no content type'}; send the file as text/csv, or as multipart/form-data with the file in a part named "file"`,
    ),
  tooLarge: (maxBytes: number) =>
    new AppError(
      'payload_too_large',
      'IMPORT.FILE_TOO_LARGE',
      `the file is over the ${describeBytes(maxBytes)} limit; split it and upload the parts`,
      {
        maxBytes,
      },
    ),
  noFilePart: () =>
    AppError.validation('IMPORT.NO_FILE', 'the multipart body has no part named "file"', [
      { field: 'file', problem: 'is required' },
    ]),
  malformedMultipart: (reason: string) =>
    AppError.validation('IMPORT.MALFORMED_MULTIPART', `the multipart body cannot be read: ${reason}`),
  uploadAborted: () =>
    AppError.validation('IMPORT.UPLOAD_ABORTED', 'the upload ended before the whole file arrived'),
  /** What the inspector found wrong with the file, as an HTTP answer. Nothing of the file was kept. */
  rejected: (problem: UploadProblem, maxBytes: number): AppError => {
    switch (problem.kind) {
      case 'too_large':
        return ImportErrors.tooLarge(maxBytes);
      case 'not_csv':
        return new AppError('unsupported_media_type', 'IMPORT.NOT_CSV', problem.message);
      case 'not_text':
        return AppError.validation('IMPORT.NOT_UTF8', problem.message, [
          { field: 'file', problem: problem.message },
        ]);
      case 'header':
        return new AppError(
          'validation',
          problem.header.kind === 'unrecognised' ? 'IMPORT.NOT_CSV' : 'IMPORT.HEADER_INVALID',
          problem.message,
          problem.header.kind === 'missing_columns'
            ? { missingColumns: problem.header.missing }
            : problem.header.kind === 'duplicate_columns'
              ? { duplicateColumns: problem.header.duplicates }
              : undefined,
          [{ field: 'file', problem: problem.message }],
        );
      case 'empty':
        return AppError.validation('IMPORT.EMPTY_FILE', problem.message, [
          { field: 'file', problem: problem.message },
        ]);
    }
  },
};
