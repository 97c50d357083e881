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

/** Where `npm run serve` listens by default. */
const CORE = 'http://127.0.0.1:3210';

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
    // The API refuses a foreign Host or Origin (CSRF / DNS rebinding): the dev proxy presents the core's own
    // address, as the built UI does when the core serves it.
    proxy: Object.fromEntries(
      ['/api', '/assets/logo'].map((path) => [
        path,
        {
          target: CORE,
          changeOrigin: true,
          configure: (proxy: {
            on(event: 'proxyReq', cb: (req: { setHeader(n: string, v: string): void }) => void): void;
          }) => proxy.on('proxyReq', (req) => req.setHeader('origin', CORE)),
        },
      ]),
    ),
  },
});
