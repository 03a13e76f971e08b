import {
  createStampFormatter,
  formatInZone,
  slackMention,
  slackParty,
} from '../../../src/domain/postmortem/format';
import {
  decodeSlackText,
  mrkdwnToPlain,
  rawSlice,
  safeCut,
  slackEscape,
} from '../../../src/shared/slack-text';
import { formatZoneName } from '../../../src/shared/time-zone';

describe('createStampFormatter', () => {
  it('agrees with TZDate + date-fns format every 7 minutes across both 2026 DST changes', () => {
    const zones = ['Europe/Oslo', 'America/New_York', 'Australia/Adelaide', 'Asia/Kathmandu', 'UTC'];
    const ranges = [Date.UTC(2026, 2, 28, 20), Date.UTC(2026, 9, 24, 20), Date.UTC(2026, 3, 4, 12)];
    for (const zone of zones) {
      const clock = createStampFormatter(zone, ranges[0]!);
      for (const start of ranges) {
        for (let ms = start; ms < start + 2 * 86_400_000; ms += 7 * 60_000 + 13_000) {
          const s = clock.stamp(ms);
          expect(`${s.date} ${s.time}`).toBe(formatInZone(ms, zone, 'yyyy-MM-dd HH:mm:ss'));
        }
      }
    }
  });

  it('leaves out the reference day and zone in compact times, and shows them when they differ', () => {
    const clock = createStampFormatter('Europe/Oslo', Date.UTC(2026, 2, 28, 23));

    expect(clock.zoneLabel).toBe('CET');
    expect(clock.stamp(Date.UTC(2026, 2, 28, 23, 30)).short).toBe('00:30:00');
    expect(clock.stamp(Date.UTC(2026, 2, 29, 2)).short).toBe('04:00:00 CEST');
    expect(clock.stamp(Date.UTC(2026, 2, 30, 2)).short).toBe('2026-03-30 04:00:00 CEST');
    expect(clock.full(Date.UTC(2026, 2, 28, 23))).toBe('2026-03-29 00:00:00 CET');
  });

  it('names zones without an abbreviation by their offset, and rejects unknown zones', () => {
    expect(formatZoneName('Asia/Tokyo', Date.UTC(2026, 0, 1))).toBe('UTC+09:00');
    expect(formatZoneName('UTC', Date.UTC(2026, 0, 1))).toBe('UTC');
    expect(formatZoneName('America/New_York', Date.UTC(2026, 0, 1))).toBe('EST');
    expect(() => createStampFormatter('Mars/Olympus', 0)).toThrow(RangeError);
  });

  it('accepts every spelling the one zone check accepts', () => {
    const clock = createStampFormatter(' europe/oslo ', Date.UTC(2026, 0, 1, 12));

    expect(clock.zoneLabel).toBe('CET');
    expect(clock.full(Date.UTC(2026, 0, 1, 12))).toBe('2026-01-01 13:00:00 CET');
  });

  it('stamps a zone without an abbreviation with the zone label of src/shared/time-zone', () => {
    const clock = createStampFormatter('Asia/Kolkata', Date.UTC(2026, 0, 1));

    expect(clock.zoneLabel).toBe('UTC+05:30');
    expect(clock.full(Date.UTC(2026, 0, 1, 4, 30))).toBe('2026-01-01 10:00:00 UTC+05:30');
  });
});

describe('Slack text helpers', () => {
  it('escapes everything, shows user mentions as names and keeps channel references live', () => {
    expect(
      slackEscape('<!channel> <@U1|x> <@U2> <@U3> <#C9|ops> a<b & c>d <https://x.io|site>', { U2: 'Bo<b>' }),
    ).toBe('&lt;!channel&gt; @x @Bo&lt;b&gt; @U3 <#C9> a&lt;b &amp; c&gt;d site (https://x.io)');
    // The full name wins over a mention's label (a handle).
    expect(slackEscape('<@U2|bo>', { U2: 'Bo Berg' })).toBe('@Bo Berg');
    expect(slackEscape('a &amp; b -&gt; c &lt;!here&gt;', {})).toBe('a &amp; b -&gt; c &lt;!here&gt;');
  });

  it('shows parties by name, and as a live mention only when asked', () => {
    const bob = { kind: 'person' as const, id: 'U02BOB', name: 'Bob & <Co>' };
    const monitor = { kind: 'system' as const, label: 'Pager <!here> &amp; co' };

    expect(slackParty(bob, {})).toBe('Bob &amp; &lt;Co&gt;');
    expect(slackParty(monitor, {})).toBe('Pager &lt;!here&gt; &amp; co');
    expect(slackMention(bob, {})).toBe('<@U02BOB>');
    expect(slackMention(monitor, {})).toBe('Pager &lt;!here&gt; &amp; co');
  });

  it('cuts without splitting an entity, a mention or a surrogate pair', () => {
    expect(safeCut('abc &amp; def', 7)).toBe('abc …');
    expect(safeCut('hi <@U0123456> there', 10)).toBe('hi …');
    expect(safeCut('ab😀cd', 4)).toBe('ab…');
    expect(safeCut('short', 10)).toBe('short');
  });
});

describe('Slack-encoded input', () => {
  it('decodes the three entities in one pass and maps decoded offsets back to the raw text', () => {
    const raw = 'a &amp; b -&gt; c &amp;gt; d';
    const decoded = decodeSlackText(raw);

    expect(decoded.text).toBe('a & b -> c &gt; d');
    const arrow = decoded.text.indexOf('->');
    expect(rawSlice(raw, decoded, 0, arrow)).toBe('a &amp; b');
    expect(rawSlice(raw, decoded, arrow + 2)).toBe('c &amp;gt; d');
    expect(decoded.rawIndex(decoded.text.length)).toBe(raw.length);
    expect(decodeSlackText('plain').rawIndex(3)).toBe(3);
  });

  it('turns mrkdwn into one plain line', () => {
    expect(mrkdwnToPlain(':white_check_mark: *Resolved*\n\n&gt; all _good_ now :shrug:')).toBe(
      '✅ Resolved — all good now',
    );
    expect(mrkdwnToPlain('at 10:30:00, 2 * 3 in <#C1|a_b_c> ~ <@U1|x*y*z>')).toBe(
      'at 10:30:00, 2 * 3 in <#C1|a_b_c> ~ <@U1|x*y*z>',
    );
  });
});
