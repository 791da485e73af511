import type { EntityType } from './types';

/**
 * Team corrections shared in a workspace's `.article-lens.json`:
 * names forced to a type, and names that are not entities.
 */
export interface Dictionary {
  /** normalised name → forced type */
  types: Map<string, EntityType>;
  /** normalised names that are never entities */
  notEntities: Set<string>;
}

export function emptyDictionary(): Dictionary {
  return { types: new Map(), notEntities: new Set() };
}

/** The key a name is looked up by: case-folded, curly apostrophes straightened, spaces collapsed. */
export function normalizeName(name: string): string {
  return name.normalize('NFC').replace(/[’‘]/g, "'").replace(/\s+/g, ' ').trim().toLowerCase();
}
