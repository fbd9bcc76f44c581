import { Injectable } from '@nestjs/common';
import type { SendSmsDto } from './dto/send-sms.dto';
import { SmsRepository, SmsView } from './sms.repository';

/** One message of a bulk send's answer: `ALREADY_SENT` when its reference was used before (nothing sent again). */
export interface SmsBatchItem {
  reference: string;
  outcome: 'SENT' | 'ALREADY_SENT';
  sms: SmsView;
}

/**
 * "Sends" an SMS (stores it, so tests and people can read what a student received). With a
 * reference the send is idempotent: the same reference again answers the original, nothing new is sent.
 */
@Injectable()
export class SendSmsUseCase {
  constructor(private readonly sms: SmsRepository) {}

  async execute(command: SendSmsDto, clientId: string): Promise<{ created: boolean; sms: SmsView }> {
    const reference = command.reference ?? null;
    const inserted = await this.sms.insertIfNew({
      to: command.to,
      message: command.message,
      reference,
      clientId,
    });
    if (inserted) return { created: true, sms: inserted };
    const original = await this.sms.findByReference(reference!);
    if (!original) throw new Error('an SMS reference conflicted but cannot be read back');
    return { created: false, sms: original };
  }

  /** A bulk send: each message as `execute` would send it (the repository stores them with one INSERT), answered in order. */
  async executeMany(messages: readonly (SendSmsDto & { reference: string })[], clientId: string): Promise<{ items: SmsBatchItem[] }> {
    const results = await Promise.all(messages.map((message) => this.execute(message, clientId)));
    return {
      items: results.map(({ created, sms }, index) => ({ reference: messages[index].reference, outcome: created ? 'SENT' : 'ALREADY_SENT', sms })),
    };
  }
}
