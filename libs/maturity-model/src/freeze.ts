import type { MaturityModelDefinition } from './types';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}

/**
 * Deeply freezes a model definition and returns it. Published model versions never change, so
 * freeze them once loaded: any later mutation throws, and the scoring library indexes a frozen
 * model only once (it caches per object) instead of on every call.
 */
export function freezeModelDefinition<T extends MaturityModelDefinition>(def: T): T {
  return deepFreeze(def);
}
