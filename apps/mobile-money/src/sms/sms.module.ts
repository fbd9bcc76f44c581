import { Module } from '@nestjs/common';
import { ListSmsUseCase } from './list-sms.use-case';
import { SendSmsUseCase } from './send-sms.use-case';
import { SmsController } from './sms.controller';
import { SmsRepository } from './sms.repository';

@Module({ controllers: [SmsController], providers: [SmsRepository, SendSmsUseCase, ListSmsUseCase] })
export class SmsModule {}
