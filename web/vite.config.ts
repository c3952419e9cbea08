import { paraglideVitePlugin } from '@inlang/paraglide-js';
import adapter from '@sveltejs/adapter-node';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig, type Plugin } from 'vite';
import { compileMessages, paraglideOptions } from './i18n.config.ts';

/** Compiles the message catalogues once, before anything imports them (see i18n.config.ts). */
function compileMessagesBeforeBuild(): Plugin {
  return { name: 'woms:compile-messages', apply: 'build', config: () => compileMessages() };
}

export default defineConfig(({ command }) => ({
  plugins: [
    command === 'build' ? compileMessagesBeforeBuild() : paraglideVitePlugin(paraglideOptions),
    sveltekit({
      adapter: adapter({ out: 'build' }),
      // adapter-node no longer reads ORIGIN at run time; hooks.server.ts applies the same origin check with it.
      csrf: { trustedOrigins: ['*'] },
    }),
  ],
}));
