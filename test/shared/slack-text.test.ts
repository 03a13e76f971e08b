import {
  channelRefPattern,
  controlSequencePattern,
  decodeSlackEntities,
  escapeMarkdownCell,
  escapeSlack,
  findMentions,
  formatUserMention,
  isUserId,
  linkPattern,
  mdBlock,
  mentionLabels,
  mentionsToPlain,
  parseUserMention,
  readUserMention,
  slackSafe,
  userMentionPattern,
} from '../../src/shared/slack-text';

describe('escapeSlack', () => {
  it('escapes &, < and >', () => {
    // Arrange
    const text = 'a < b && c > d';

    // Act
    const escaped = escapeSlack(text);

    // Assert
    expect(escaped).toBe('a &lt; b &amp;&amp; c &gt; d');
  });

  it('neutralises broadcasts and mentions', () => {
    expect(escapeSlack('<!channel> <@U1>')).toBe('&lt;!channel&gt; &lt;@U1&gt;');
  });

  it('escapes an existing entity so it shows literally', () => {
    expect(escapeSlack('&amp;')).toBe('&amp;amp;');
  });
});

describe('decodeSlackEntities', () => {
  it('turns the three entities back into characters', () => {
    expect(decodeSlackEntities('a &lt; b &amp;&amp; c &gt; d')).toBe('a < b && c > d');
  });

  it('decodes in one pass', () => {
    expect(decodeSlackEntities('&amp;lt;')).toBe('&lt;');
  });

  it('leaves other entities and text alone', () => {
    expect(decodeSlackEntities('&quot; &nbsp; & <@U1>')).toBe('&quot; &nbsp; & <@U1>');
  });

  it('is the inverse of escapeSlack', () => {
    const text = '<!here> & <b>bold</b> &amp;';
    expect(decodeSlackEntities(escapeSlack(text))).toBe(text);
  });
});

describe('slackSafe', () => {
  it('keeps user mentions, re-emitted without the label', () => {
    expect(slackSafe('IC is <@U123|bob>, tech <@W9>')).toBe('IC is <@U123>, tech <@W9>');
  });

  it('keeps channel references', () => {
    expect(slackSafe('see <#C1|ops> and <#C2>')).toBe('see <#C1|ops> and <#C2>');
  });

  it.each([
    ['<!channel>', '&lt;!channel&gt;'],
    ['<!here>', '&lt;!here&gt;'],
    ['<!everyone>', '&lt;!everyone&gt;'],
    ['<!subteam^S123|@oncall>', '&lt;!subteam^S123|@oncall&gt;'],
    ['<https://evil.example|click me>', '&lt;https://evil.example|click me&gt;'],
  ])('escapes %s', (text, expected) => {
    expect(slackSafe(text)).toBe(expected);
  });

  it('cannot be tricked into a broadcast by a nested or broken token', () => {
    // Arrange
    const attempts = ['<@U1|<!channel>>', '<<!channel>>', '<@U1|x><!here>', '<#C1|<!everyone>>', '<!channel'];

    // Act
    const outputs = attempts.map(slackSafe);

    // Assert
    for (const out of outputs) {
      expect(out).not.toMatch(/<!/);
    }
  });

  it('escapes a channel name that is not a plain channel name', () => {
    expect(slackSafe('<#C1|a b&c>')).toBe('<#C1>');
  });

  it('escapes plain text like escapeSlack', () => {
    expect(slackSafe('p99 > 2s & rising')).toBe('p99 &gt; 2s &amp; rising');
  });
});

describe('mentionsToPlain', () => {
  it('uses the label of a mention', () => {
    expect(mentionsToPlain('ask <@U123|bob>')).toBe('ask @bob');
  });

  it('uses the names map for a mention without a label, else the id', () => {
    // Arrange
    const names = { U1: 'Alice' };

    // Act
    const plain = mentionsToPlain('<@U1> and <@U2>', names);

    // Assert
    expect(plain).toBe('@Alice and @U2');
  });

  it('prefers the names map over the label so a person is named consistently', () => {
    expect(mentionsToPlain('<@U1|alice.w>', { U1: 'Alice Wong' })).toBe('@Alice Wong');
  });

  it('renders channels, broadcasts, groups and links', () => {
    expect(
      mentionsToPlain(
        '<#C1|ops> <#C2> <!here> <!subteam^S1|@oncall> <https://x.io> <https://x.io/a|x.io/a> <mailto:a@b.co|a@b.co>',
      ),
    ).toBe('#ops #C2 @here @oncall https://x.io https://x.io/a a@b.co');
  });

  it('keeps a link label that differs from the URL', () => {
    expect(mentionsToPlain('<https://status.example.com|status page>')).toBe(
      'status page (https://status.example.com)',
    );
  });

  it('leaves plain comparison signs alone', () => {
    expect(mentionsToPlain('latency < 5ms and > 2ms')).toBe('latency < 5ms and > 2ms');
  });
});

describe('escapeMarkdownCell', () => {
  it('escapes pipes', () => {
    expect(escapeMarkdownCell('a | b')).toBe('a \\| b');
  });

  it('turns line breaks into <br>', () => {
    expect(escapeMarkdownCell('one\ntwo\r\nthree')).toBe('one<br>two<br>three');
  });

  it('trims surrounding whitespace, also around line breaks', () => {
    expect(escapeMarkdownCell('  padded \n  next  ')).toBe('padded<br>next');
  });

  it('escapes backslashes so an escaped pipe cannot close the cell', () => {
    expect(escapeMarkdownCell('a\\|b')).toBe('a\\\\\\|b');
  });

  it('escapes HTML so only the added <br> is markup', () => {
    expect(escapeMarkdownCell('<script>x</script> &lt; AT&T')).toBe(
      '&lt;script&gt;x&lt;/script&gt; &amp;lt; AT&T',
    );
  });

  it('returns an empty string for blank text', () => {
    expect(escapeMarkdownCell('   ')).toBe('');
  });
});

describe('parseUserMention', () => {
  it('reads a mention with a label', () => {
    // Arrange
    const token = '<@U123ABC|alice>';

    // Act
    const id = parseUserMention(token);

    // Assert
    expect(id).toBe('U123ABC');
  });

  it('reads a mention without a label', () => {
    expect(parseUserMention('<@U0G9QF9C6>')).toBe('U0G9QF9C6');
  });

  it('reads an Enterprise Grid W-prefixed id', () => {
    expect(parseUserMention('<@W012ABCDE|bob.smith>')).toBe('W012ABCDE');
  });

  it('ignores surrounding whitespace', () => {
    expect(parseUserMention('  <@U1>\n')).toBe('U1');
  });

  it.each([
    ['plain @name (not converted by Slack)', '@alice'],
    ['a channel reference', '<#C123|ops>'],
    ['a broadcast', '<!channel>'],
    ['a user group', '<!subteam^S123|@oncall>'],
    ['a lowercase id', '<@u123>'],
    ['a bare id', 'U123'],
    ['two mentions', '<@U1><@U2>'],
    ['a mention inside other text', 'hi<@U1>'],
    ['an empty string', ''],
  ])('returns null for %s', (_label, token) => {
    expect(parseUserMention(token)).toBeNull();
  });
});

describe('findMentions', () => {
  it('finds both mention forms in order, without duplicates', () => {
    // Arrange
    const text = 'ping <@U2|bob> and <@U1>, then <@U2> again; also <@W3|carol> in <#C9|ops>';

    // Act
    const ids = findMentions(text);

    // Assert
    expect(ids).toEqual(['U2', 'U1', 'W3']);
  });

  it('returns an empty list when nobody is mentioned', () => {
    expect(findMentions('no one here <!here> <#C1>')).toEqual([]);
  });

  it('works when called repeatedly (no shared regex state)', () => {
    expect(findMentions('<@U1>')).toEqual(['U1']);
    expect(findMentions('<@U1>')).toEqual(['U1']);
  });
});

describe('formatUserMention', () => {
  it('builds the canonical token', () => {
    expect(formatUserMention('U123')).toBe('<@U123>');
  });
});

describe('readUserMention', () => {
  it('returns the id and the label', () => {
    expect(readUserMention(' <@U123|alice> ')).toEqual({ id: 'U123', label: 'alice' });
    expect(readUserMention('<@W9>')).toEqual({ id: 'W9', label: '' });
  });

  it('returns null for anything but one mention', () => {
    expect(readUserMention('<#C1|ops>')).toBeNull();
    expect(readUserMention('U123')).toBeNull();
  });
});

describe('mentionLabels', () => {
  it('collects the labels Slack sends with mentions, skipping mentions without one', () => {
    expect(mentionLabels('IC <@U1|alice>, tech <@U2>, comms <@W3|carol> and <@U1|alice.w>')).toEqual({
      U1: 'alice.w',
      W3: 'carol',
    });
  });
});

describe('isUserId', () => {
  it.each(['U123', 'W0ABC'])('accepts %s', (id) => {
    expect(isUserId(id)).toBe(true);
  });

  it.each(['<@U123>', 'u123', 'C123', 'U', ''])('refuses %p', (id) => {
    expect(isUserId(id)).toBe(false);
  });
});

describe('the patterns', () => {
  it('find channel references, links and control sequences', () => {
    // Arrange
    const text = 'see <#C1|ops> and <#G2>, <https://x.io|site> <mailto:a@b.co> <!here> <!subteam^S1|@team>';

    // Act
    const channels = [...text.matchAll(channelRefPattern())].map((m) => [m[1], m[2]]);
    const links = [...text.matchAll(linkPattern())].map((m) => [m[1], m[2]]);
    const controls = [...text.matchAll(controlSequencePattern())].map((m) => m[1]! + m[2]!);

    // Assert
    expect(channels).toEqual([
      ['C1', 'ops'],
      ['G2', undefined],
    ]);
    expect(links).toEqual([
      ['https://x.io', 'site'],
      ['mailto:a@b.co', undefined],
    ]);
    expect(controls).toEqual(['#C1', '#G2', '!here', '!subteam^S1']);
  });

  it('match user mentions the same way everywhere', () => {
    const text = '<@U1|bob> <@W2> <@u3> <@B4>';

    expect([...text.matchAll(userMentionPattern())].map((m) => m[1])).toEqual(['U1', 'W2']);
    expect(findMentions(text)).toEqual(['U1', 'W2']);
  });
});

describe('mdBlock keeps user text from changing the document outline', () => {
  it('escapes headings, setext underlines and rules at a line start, and nothing else', () => {
    expect(mdBlock('# <!channel> down', {})).toBe('\\# @channel down');
    expect(mdBlock('cause\n---\nmore', {})).toBe('cause\n\\---\nmore');
    expect(mdBlock('cause\n=', {})).toBe('cause\n\\=');
    expect(mdBlock('***', {})).toBe('\\***');
    expect(mdBlock('first\n  ## second', {}, '  ')).toBe('first\n    \\## second');
    for (const text of ['- a list item', '*bold* and _it_', 'issue #12', '#hashtag', 'a - b'])
      expect(mdBlock(text, {})).toBe(text);
  });

  it('keeps closed code fences and escapes one left open, which would swallow the rest', () => {
    expect(mdBlock('```\nSELECT 1\n```', {})).toBe('```\nSELECT 1\n```');
    expect(mdBlock('log:\n```\nERROR pool', {})).toBe('log:\n\\```\nERROR pool');
    expect(mdBlock('~~~\na\n~~~\n~~~', {})).toBe('~~~\na\n~~~\n\\~~~');
  });
});
