import { AppError } from '@scholarpay/platform';

export const AwardErrors = {
  badCursor: () =>
    AppError.validation('AWARD.INVALID_CURSOR', 'cursor is not one this service gave', [
      { field: 'cursor', problem: 'is not a cursor from a previous page' },
    ]),
};
