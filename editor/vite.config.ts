import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Two pages: the editor (index.html) and the chat page the widget frames (chat.html, served at
// /chat/:botId). The widget script itself is built by vite.widget.config.ts. In development the
// API runs on :3000 (`pnpm start`) and this dev server proxies to it.
export default defineConfig({
  plugins: [react()],
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/healthz': 'http://127.0.0.1:3000', '/widget.js': 'http://127.0.0.1:3000' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rollupOptions: { input: { index: 'index.html', chat: 'chat.html' } },
  },
});
