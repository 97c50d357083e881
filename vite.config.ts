import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The built renderer carries its own Content-Security-Policy, so it holds whether it is loaded from file://
 * in Electron or served by headless mode (which also sends the same policy as a header). Dev builds skip it:
 * the React refresh preamble is an inline script.
 */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

const cspMeta = (): Plugin => ({
  name: 'rukun-csp-meta',
  apply: 'build',
  transformIndexHtml: () => [
    {
      tag: 'meta',
      attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP },
      injectTo: 'head-prepend',
    },
  ],
});

export default defineConfig({
  root: 'src/renderer',
  base: './',
  plugins: [react(), cspMeta()],
  build: {
    outDir: '../../dist/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:3210', '/assets/logo': 'http://127.0.0.1:3210' },
  },
});
