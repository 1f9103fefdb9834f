import { bucket } from './bucket';
import { common } from './common';
import { home } from './home';
import { round } from './round';
import { sync } from './sync';
import { wallet } from './wallet';

/**
 * The core catalog (every area but admin and live, which pages load through `I18n.scoped`).
 * Keys carry their area as a prefix, so areas never collide.
 */
export const messages = {
	en: { ...common.en, ...home.en, ...round.en, ...bucket.en, ...wallet.en, ...sync.en },
	fr: { ...common.fr, ...home.fr, ...round.fr, ...bucket.fr, ...wallet.fr, ...sync.fr }
};

export type MessageKey = keyof typeof messages.en;
export type { Catalog } from './define';
export { defineCatalog } from './define';
