import { Module } from '@nestjs/common';
import { PayoutEventsConsumer } from './payout-events.consumer';
import { RecordPayoutUseCase } from './record-payout.use-case';

@Module({
  controllers: [PayoutEventsConsumer],
  providers: [RecordPayoutUseCase],
})
export class PayoutsModule {}
