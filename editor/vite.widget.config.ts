import { defineConfig } from 'vite';

// The widget is one classic script (no modules): customers paste a <script> tag on any site.
export default defineConfig({
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    lib: { entry: 'src/widget/widget.ts', name: 'BatonWidget', formats: ['iife'], fileName: () => 'widget.js' },
  },
});
