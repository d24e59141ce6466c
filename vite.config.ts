import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

export const EXTENSION_KEY = 'optigem-sync';

export default defineConfig({
  plugins: [vue()],
  base: `/ccm/${EXTENSION_KEY}/`,
  build: {
    outDir: 'dist',
    sourcemap: false,
    modulePreload: { polyfill: false },
  },
});
