import { SetMetadata } from '@nestjs/common';
import type { Permission } from './permissions';

export const IS_PUBLIC = 'mlops:isPublic';
export const REQUIRED_PERMISSION = 'mlops:requiredPermission';

/** No authentication (sign-up, login, health). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * The permission an organization route needs. Every route under /v1/organizations/{orgId}
 * must declare one; the access guard refuses to serve a route that forgot.
 */
export const RequirePermission = (permission: Permission) =>
  SetMetadata(REQUIRED_PERMISSION, permission);
