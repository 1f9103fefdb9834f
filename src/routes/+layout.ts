// A single-page app: everything renders in the browser, nothing is prerendered but the shell.
export const ssr = false;
export const prerender = false;
