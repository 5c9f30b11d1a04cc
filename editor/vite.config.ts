import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Two pages: the editor (index.html) and the chat page the widget frames (chat.html, served at
// /chat/:botId). The widget script itself is built by vite.widget.config.ts. In development the
// API runs on :3000 (`pnpm start`) and this dev server proxies to it.
export default defineConfig({
  plugins: [react()],
  // The Host header is kept (changeOrigin false): the API treats the dev server's origin as its own.
  server: {
    proxy: Object.fromEntries(['/api', '/healthz', '/widget.js'].map((path) => [path, { target: 'http://127.0.0.1:3000', changeOrigin: false }])),
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: { input: { index: 'index.html', chat: 'chat.html' } },
  },
});
