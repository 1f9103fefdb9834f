import { en } from './en';
import { fr } from './fr';

/**
 * Both core catalogs at once, for tests and checks. The app never imports this: it loads the
 * language it shows, one module per language (see `browserI18nEffects`).
 */
export const messages = { en, fr };

export type { Messages, MessageKey } from './en';
export type { Catalog, Translation } from './define';
export { defineCatalog } from './define';
