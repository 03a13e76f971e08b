import { compilePostmortem } from '../src/domain/postmortem/compile';
import { renderMarkdown } from '../src/domain/postmortem/markdown';
import { syntheticInput } from './bench-postmortem';

const n = Number(process.argv[2] ?? 10000);
const doc = compilePostmortem(syntheticInput(n));
const times: number[] = [];
for (let i = 0; i < 15; i++) {
  const t = performance.now();
  renderMarkdown(doc);
  times.push(performance.now() - t);
}
console.log(n, times.map((t) => t.toFixed(0)).join(' '));
