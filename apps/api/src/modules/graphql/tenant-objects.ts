import type { Page } from '@app/common';

/**
 * Tags what a service answered with the organization it belongs to: nested fields of tenant
 * objects (a team's assessments, an integration's deliveries) build their scope from it.
 */
export function inOrganization<T extends object>(
  organizationId: string,
  value: T,
): T & { organizationId: string } {
  return { ...value, organizationId };
}

export function pageInOrganization<T extends object>(organizationId: string, page: Page<T>) {
  return { ...page, items: page.items.map((item) => inOrganization(organizationId, item)) };
}
