import { Injectable } from '@nestjs/common';
import type { SendSmsDto } from './dto/send-sms.dto';
import { SmsRepository, SmsView } from './sms.repository';

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
}
