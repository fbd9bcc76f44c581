import { Injectable } from '@nestjs/common';
import type { SendSmsDto } from './dto/send-sms.dto';
import { SmsErrors } from './sms.errors';
import { SmsRepository, SmsView } from './sms.repository';
import { isRetryOf } from './sms.rules';

/**
 * One message of a bulk send's answer: `ALREADY_SENT` with the original when its reference was used
 * for the same number and text (nothing sent again); `CONFLICT` with the error when it was used for
 * another number or text (nothing sent, and no `sms`: the original is not this message).
 */
export type SmsBatchItem =
  | { reference: string; outcome: 'SENT' | 'ALREADY_SENT'; sms: SmsView }
  | { reference: string; outcome: 'CONFLICT'; error: { code: string; message: string } };

type SendResult = { kind: 'sent' | 'already_sent'; sms: SmsView } | { kind: 'conflict' };

/**
 * "Sends" an SMS (stores it, so tests and people can read what a student received). With a
 * reference the send is idempotent, as a cash-in is: the same reference with the same number and
 * text answers the original and sends nothing; with another number or text it is refused
 * (409 RESOURCE_ALREADY_EXIST) and sends nothing either.
 */
@Injectable()
export class SendSmsUseCase {
  constructor(private readonly sms: SmsRepository) {}

  async execute(command: SendSmsDto, clientId: string): Promise<{ created: boolean; sms: SmsView }> {
    const result = await this.send(command, clientId);
    if (result.kind === 'conflict') throw SmsErrors.referenceConflict();
    return { created: result.kind === 'sent', sms: result.sms };
  }

  /** A bulk send: each message as `execute` would send it (the repository stores them with one INSERT), answered in order. */
  async executeMany(messages: readonly (SendSmsDto & { reference: string })[], clientId: string): Promise<{ items: SmsBatchItem[] }> {
    const results = await Promise.all(messages.map((message) => this.send(message, clientId)));
    return {
      items: results.map((result, index): SmsBatchItem => {
        const { reference } = messages[index];
        return result.kind === 'conflict'
          ? { reference, outcome: 'CONFLICT', error: SmsErrors.referenceConflictBody() }
          : { reference, outcome: result.kind === 'sent' ? 'SENT' : 'ALREADY_SENT', sms: result.sms };
      }),
    };
  }

  private async send(command: SendSmsDto, clientId: string): Promise<SendResult> {
    const reference = command.reference ?? null;
    const inserted = await this.sms.insertIfNew({
      to: command.to,
      message: command.message,
      reference,
      clientId,
    });
    if (inserted) return { kind: 'sent', sms: inserted };
    const original = await this.sms.findByReference(reference!);
    if (!original) throw new Error('an SMS reference conflicted but cannot be read back');
    return isRetryOf(original, command) ? { kind: 'already_sent', sms: original } : { kind: 'conflict' };
  }
}
