/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The Rust server (`cargo xtask dev`) listens on :5000; in dev mode Vite serves the UI on :5173 and forwards
// the API and health checks, so the browser sees one origin and the session cookie just works.
const backend = process.env.CREWPLOTS_BACKEND ?? 'http://localhost:5000';

export default defineConfig({
  plugins: [react()],
  // The server serves dist/ at the site root with an SPA fallback, so assets must be absolute.
  base: '/',
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      // The server checks Origin against its PUBLIC_URL: present the request as coming from the backend's
      // own origin (changeOrigin rewrites Host; the Origin header is rewritten in `configure`).
      '/api': {
        target: backend,
        changeOrigin: true,
        configure: (proxy) => {
          proxy.on('proxyReq', (proxyReq) => {
            if (proxyReq.getHeader('origin')) proxyReq.setHeader('origin', backend);
          });
        },
      },
      '/health': { target: backend, changeOrigin: true },
    },
  },
  preview: { port: 4173 },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    sourcemap: false,
    emptyOutDir: true,
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    css: false,
    restoreMocks: true,
    // The CI machine has two cores and may be compiling Rust at the same time.
    testTimeout: 20_000,
  },
});
