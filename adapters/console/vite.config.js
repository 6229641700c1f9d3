// Builds the console into ../../build/... (CMake passes --outDir) or dist/.
// Element Plus components are imported where used (unplugin-vue-components
// with its resolver), not the whole library, to keep the first page small.
import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';

export default defineConfig({
  base: '/',
  plugins: [vue(), Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: false })],
  build: {
    // No inline scripts or module preload polyfill: the CSP allows scripts
    // from the server only.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 800,
    reportCompressedSize: false,
  },
});
