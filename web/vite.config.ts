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
      // Content-Security-Policy on every rendered page; SvelteKit adds nonces for its own inline scripts.
      csp: {
        mode: 'auto',
        directives: {
          'default-src': ['self'],
          'script-src': ['self'],
          'style-src': ['self', 'unsafe-inline'],
          'img-src': ['self', 'data:'],
          'connect-src': ['self'],
          'form-action': ['self'],
          'frame-ancestors': ['none'],
          'base-uri': ['self'],
          'object-src': ['none'],
        },
      },
    }),
  ],
}));
