/**
 * `npx tsx bench/lib/analyze-profile.ts <file.cpuprofile> [substring] [count]`:
 * self and total time per function, optionally only functions whose name or
 * file contains `substring` (e.g. `packages/` for openkyc's own code).
 */
import { readFileSync } from 'node:fs';
import { topSelfTime, topTotalTime } from './profile.js';

const [file, substring, count] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: analyze-profile.ts <file.cpuprofile> [substring] [count]');
const profile = JSON.parse(readFileSync(file, 'utf8'));
const n = Number(count ?? 40);
console.log('self time:');
for (const line of topSelfTime(profile, n)) console.log(`  ${line}`);
console.log('total time:');
for (const line of topTotalTime(profile, n, substring === undefined ? undefined : (key) => key.includes(substring))) console.log(`  ${line}`);
