import { parsePrometheusText, sampleValue } from './prometheus-text';

describe('the strict Prometheus text parser of the tests', () => {
  const good = [
    '# HELP a_total Things.',
    '# TYPE a_total counter',
    'a_total{x="1",y="q\\"uote\\\\"} 3',
    '# TYPE h histogram',
    'h_bucket{le="1"} 1',
    'h_bucket{le="+Inf"} 2',
    'h_sum 1.5e0',
    'h_count 2',
    '# TYPE g gauge',
    'g Nan',
    '',
  ].join('\n');

  it('reads families, labels with escapes and histograms', () => {
    const families = parsePrometheusText(good);
    expect(sampleValue(families, 'a_total', { y: 'q"uote\\' })).toBe(3);
    expect(families.get('h')?.samples).toHaveLength(4);
    expect(sampleValue(families, 'g')).toBeNaN();
  });

  it.each([
    ['a sample of an undeclared family', 'x 1\n'],
    ['a bad metric name', '# TYPE 1x gauge\n1x 1\n'],
    ['an unquoted label value', '# TYPE g gauge\ng{a=1} 1\n'],
    ['a bad escape', '# TYPE g gauge\ng{a="\\t"} 1\n'],
    ['a bad value', '# TYPE g gauge\ng one\n'],
    ['the same series twice', '# TYPE g gauge\ng 1\ng 2\n'],
    ['TYPE twice', '# TYPE g gauge\n# TYPE g gauge\ng 1\n'],
    ['a family split in two', '# TYPE g gauge\ng{a="1"} 1\n# TYPE f gauge\nf 1\ng{a="2"} 1\n'],
    ['no +Inf bucket', '# TYPE h histogram\nh_bucket{le="1"} 1\nh_count 1\n'],
    ['buckets that decrease', '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_count 1\n'],
    ['no final newline', '# TYPE g gauge\ng 1'],
  ])('refuses %s', (_what, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });
});
