import { applyDecorators, Controller } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiParam,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';

/**
 * A controller for routes under /v1/organizations/{orgId}/<path>. The access guard checks the
 * caller's membership for `orgId` on every route (404 for other tenants) and the permission each
 * handler declares with @RequirePermission.
 */
export function OrganizationController(path = ''): ClassDecorator {
  return applyDecorators(
    Controller(`v1/organizations/:orgId${path ? `/${path}` : ''}`),
    ApiBearerAuth(),
    ApiParam({ name: 'orgId', format: 'uuid', description: 'The organization (tenant).' }),
    ApiUnauthorizedResponse({ description: 'No or invalid credentials.' }),
    ApiForbiddenResponse({ description: 'The role or API key scope does not allow this.' }),
    ApiNotFoundResponse({ description: 'Not found, or not in an organization of the caller.' }),
  );
}
