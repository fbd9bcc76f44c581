import { Module } from '@nestjs/common';
import { IssueTokenUseCase } from './issue-token.use-case';
import { OAuthController } from './oauth.controller';

@Module({ controllers: [OAuthController], providers: [IssueTokenUseCase] })
export class OAuthModule {}
