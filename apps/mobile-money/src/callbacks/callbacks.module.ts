import { Module } from '@nestjs/common';
import { CallbackDeliveryRepository } from './callback-delivery.repository';
import { CallbackDispatcher } from './callback-dispatcher.worker';

@Module({
  providers: [CallbackDeliveryRepository, CallbackDispatcher],
  exports: [CallbackDeliveryRepository, CallbackDispatcher],
})
export class CallbacksModule {}
