import { Injectable } from '@nestjs/common';
import { createValidationPipe } from '@scholarpay/platform';
import type { FastifyReply } from 'fastify';
import type { FaultedRequest } from '../faults/request-fault-gate';
import { ProviderHotPath } from '../common/provider-hot-path';
import { AcceptCashinUseCase } from './accept-cashin.use-case';
import { CreateCashinDto } from './dto/create-cashin.dto';

/**
 * POST /cashins, the provider's hot path (the issue asks for 2,000 accepted per second on two
 * cores): the steps of every provider route through ProviderHotPath, with the strict DTO
 * validation done here, and the answer written directly (no response interceptors to run).
 */
@Injectable()
export class AcceptCashinRoute {
  private readonly validation = createValidationPipe();

  constructor(
    private readonly hotPath: ProviderHotPath,
    private readonly acceptCashin: AcceptCashinUseCase,
  ) {}

  async handle(request: FaultedRequest, response: FastifyReply): Promise<void> {
    const answer = await this.hotPath.run(request, async (clientId) => {
      const body = (await this.validation.transform(request.body, { type: 'body', metatype: CreateCashinDto })) as CreateCashinDto;
      return this.acceptCashin.execute({
        referenceIdHeader: request.headers['x-reference-id'],
        callbackUrlHeader: request.headers['x-callback-url'],
        body,
        clientId,
      });
    });
    response.status(answer.httpStatus).send(answer.transaction);
  }
}
