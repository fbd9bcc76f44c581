import { applyDecorators, CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { ApiExtension, ApiForbiddenResponse } from '@nestjs/swagger';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AuthenticatedUser, Role } from './roles';
import { InvalidTokenError, TokenVerifier } from './token-verifier';

export const IS_PUBLIC_ROUTE = 'scholarpay:public-route';
export const REQUIRED_ROLES = 'scholarpay:required-roles';
export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');

/** Marks an OpenAPI operation as public (no bearer token); the document builder reads it. */
export const OPENAPI_PUBLIC_EXTENSION = 'x-public';

/**
 * Any one of these roles may call the route (or every route of the controller). The OpenAPI
 * document says so too: the roles under `x-roles`, and the 403 a token without them gets.
 */
export const RequireRoles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    SetMetadata(REQUIRED_ROLES, roles),
    ApiExtension('x-roles', roles),
    ApiForbiddenResponse({ description: `AUTH.ROLE_REQUIRED: the token has none of the roles ${roles.join(', ')}` }),
  );

export class AuthError extends Error {
  constructor(
    readonly status: 401 | 403,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

/**
 * Global guard: every HTTP route needs a valid bearer token unless marked public; a route with
 * required roles needs one of them. No token or a bad one: 401. Wrong role: 403.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & { user?: AuthenticatedUser }>();
    // The scheme name is case-insensitive (RFC 7235).
    const bearer = /^bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    if (!bearer) {
      throw new AuthError(401, 'AUTH.TOKEN_MISSING', 'a bearer token is required (Authorization: Bearer <token>)');
    }
    try {
      request.user = await this.verifier.verify(bearer[1]);
    } catch (error) {
      if (error instanceof InvalidTokenError) throw new AuthError(401, 'AUTH.TOKEN_INVALID', error.message);
      throw error;
    }
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (required?.length && !required.some((role) => request.user!.roles.includes(role))) {
      throw new AuthError(403, 'AUTH.ROLE_REQUIRED', `this action needs one of the roles: ${required.join(', ')}`);
    }
    return true;
  }
}

/** Marks a route (or controller) that needs no bearer token: health, metrics, signed provider callbacks. */
export const Public = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(IS_PUBLIC_ROUTE, true), ApiExtension(OPENAPI_PUBLIC_EXTENSION, true));
