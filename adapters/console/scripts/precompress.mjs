// Writes NAME.gz beside every text file of the build (level 9), which
// credflow serve sends to clients that accept gzip. Usage:
//   node scripts/precompress.mjs [DIR]   (default: dist, or --outDir's)
import { readdirSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const dir = process.argv[2] || process.env.CREDFLOW_CONSOLE_OUT || 'dist';
const compressible = /\.(html|js|mjs|css|svg|json|txt|map)$/;
let files = 0;
let raw = 0;
let packed = 0;
function walk(d) {
  for (const name of readdirSync(d)) {
    const p = join(d, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (compressible.test(name)) {
      const bytes = readFileSync(p);
      const gz = gzipSync(bytes, { level: 9 });
      writeFileSync(p + '.gz', gz);
      files += 1;
      raw += bytes.length;
      packed += gz.length;
    }
  }
}
walk(dir);
console.log(`precompress: ${files} files, ${(raw / 1024).toFixed(0)} KiB -> ${(packed / 1024).toFixed(0)} KiB gzip`);
