import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { AuthenticatedUser } from './roles';

/** The verified caller of the current HTTP request. */
export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): AuthenticatedUser => {
  const request = context.switchToHttp().getRequest<{ user?: AuthenticatedUser }>();
  if (!request.user) throw new Error('CurrentUser used on a route without authentication');
  return request.user;
});
