/**
 * A small strict parser of the Prometheus text exposition format (version 0.0.4), for tests: it
 * throws on anything a Prometheus server would refuse or that breaks the format's rules (names,
 * label syntax and escapes, numbers, HELP/TYPE before a family's samples and only once, samples of
 * a family together, histogram buckets cumulative with a `+Inf` bucket equal to `_count`).
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/** A float as Prometheus reads it (Go's ParseFloat: `Inf`/`NaN` in any letter case, e.g. prom-client's `Nan`). */
function parseValue(raw: string, line: string): number {
  if (/^\+?inf(inity)?$/i.test(raw)) return Number.POSITIVE_INFINITY;
  if (/^-inf(inity)?$/i.test(raw)) return Number.NEGATIVE_INFINITY;
  if (/^nan$/i.test(raw)) return Number.NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw)) throw new Error(`bad value ${raw} in: ${line}`);
  return Number(raw);
}

/** Reads `{a="x",b="y"}` starting at `text[0] === '{'`; returns the labels and the rest. */
function parseLabels(text: string, line: string): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let i = 1;
  while (text[i] !== '}') {
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new Error(`bad labels in: ${line}`);
    const name = text.slice(i, eq);
    if (!LABEL_NAME.test(name)) throw new Error(`bad label name ${name} in: ${line}`);
    if (name in labels) throw new Error(`label ${name} twice in: ${line}`);
    if (text[eq + 1] !== '"') throw new Error(`label value not quoted in: ${line}`);
    let value = '';
    let j = eq + 2;
    for (;;) {
      const c = text[j];
      if (c === undefined) throw new Error(`unterminated label value in: ${line}`);
      if (c === '"') break;
      if (c === '\\') {
        const next = text[j + 1];
        if (next === 'n') value += '\n';
        else if (next === '\\' || next === '"') value += next;
        else throw new Error(`bad escape in: ${line}`);
        j += 2;
        continue;
      }
      if (c === '\n') throw new Error(`newline in a label value: ${line}`);
      value += c;
      j += 1;
    }
    labels[name] = value;
    i = j + 1;
    if (text[i] === ',') i += 1;
    else if (text[i] !== '}') throw new Error(`expected , or } in: ${line}`);
  }
  return { labels, rest: text.slice(i + 1) };
}

/** The family a sample name belongs to (histograms: `_bucket`, `_sum`, `_count`). */
function familyOf(name: string, families: Map<string, Family>): Family | undefined {
  const direct = families.get(name);
  if (direct) return direct;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (!name.endsWith(suffix)) continue;
    const family = families.get(name.slice(0, -suffix.length));
    if (family && (family.type === 'histogram' || (family.type === 'summary' && suffix !== '_bucket'))) {
      return family;
    }
  }
  return undefined;
}

/** Checks a histogram's buckets per label set: cumulative, ending in `+Inf` equal to `_count`. */
function checkHistogram(family: Family): void {
  const series = new Map<string, { buckets: [number, number][]; count?: number }>();
  const key = (labels: Record<string, string>) =>
    JSON.stringify(
      Object.entries(labels)
        .filter(([k]) => k !== 'le')
        .sort(),
    );
  for (const s of family.samples) {
    const entry = series.get(key(s.labels)) ?? { buckets: [] };
    series.set(key(s.labels), entry);
    if (s.name.endsWith('_bucket')) {
      if (s.labels.le === undefined) throw new Error(`${s.name} without le`);
      entry.buckets.push([parseValue(s.labels.le, s.name), s.value]);
    } else if (s.name.endsWith('_count')) entry.count = s.value;
  }
  for (const [labels, { buckets, count }] of series) {
    let previous: [number, number] = [Number.NEGATIVE_INFINITY, 0];
    for (const bucket of buckets) {
      if (bucket[0] <= previous[0] || bucket[1] < previous[1]) {
        throw new Error(`${family.name}${labels}: buckets not increasing`);
      }
      previous = bucket;
    }
    if (previous[0] !== Number.POSITIVE_INFINITY || previous[1] !== count) {
      throw new Error(`${family.name}${labels}: +Inf bucket missing or not equal to _count`);
    }
  }
}

/** Parses a whole exposition; throws on the first violation. */
export function parsePrometheusText(text: string): Map<string, Family> {
  if (text.length > 0 && !text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const families = new Map<string, Family>();
  const seenSeries = new Set<string>();
  let current: Family | undefined;
  const declare = (name: string, line: string) => {
    if (!METRIC_NAME.test(name)) throw new Error(`bad metric name in: ${line}`);
    let family = families.get(name);
    if (!family) {
      if (familyOf(name, families)) throw new Error(`${name} clashes with a declared family`);
      family = { name, type: 'untyped', help: '', samples: [] };
      families.set(name, family);
    } else if (family.samples.length > 0) {
      throw new Error(`HELP/TYPE of ${name} after its samples`);
    }
    return family;
  };
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      const match = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (!match) continue; // a comment
      const [, keyword, name, rest] = match as unknown as [string, string, string, string];
      const family = declare(name, line);
      if (keyword === 'TYPE') {
        if (!TYPES.has(rest)) throw new Error(`bad type in: ${line}`);
        if (family.type !== 'untyped') throw new Error(`TYPE of ${name} twice`);
        family.type = rest as Family['type'];
      } else {
        if (family.help) throw new Error(`HELP of ${name} twice`);
        family.help = rest;
      }
      current = family;
      continue;
    }
    const nameEnd = line.search(/[{ ]/);
    if (nameEnd <= 0) throw new Error(`bad sample: ${line}`);
    const name = line.slice(0, nameEnd);
    if (!METRIC_NAME.test(name)) throw new Error(`bad metric name in: ${line}`);
    let rest = line.slice(nameEnd);
    let labels: Record<string, string> = {};
    if (rest.startsWith('{')) ({ labels, rest } = parseLabels(rest, line));
    const parts = rest.trim().split(' ');
    if (!rest.startsWith(' ') || parts.length < 1 || parts.length > 2) throw new Error(`bad sample: ${line}`);
    const value = parseValue(parts[0]!, line);
    if (parts[1] !== undefined && !/^-?\d+$/.test(parts[1])) throw new Error(`bad timestamp in: ${line}`);
    const family = familyOf(name, families);
    if (!family) throw new Error(`sample of an undeclared family: ${line}`);
    if (family !== current) throw new Error(`samples of ${family.name} are not together`);
    const id = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seenSeries.has(id)) throw new Error(`series twice: ${line}`);
    seenSeries.add(id);
    family.samples.push({ name, labels, value });
  }
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
}

/** The value of the one sample named `name` whose labels include `labels`; throws when none or several. */
export function sampleValue(
  families: Map<string, Family>,
  name: string,
  labels: Record<string, string> = {},
): number {
  const matches = [...families.values()]
    .flatMap((f) => f.samples)
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (matches.length !== 1) throw new Error(`${matches.length} samples of ${name} ${JSON.stringify(labels)}`);
  return matches[0]!.value;
}
