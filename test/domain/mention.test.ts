import { findMentions, formatUserMention, parseUserMention } from '../../src/domain/mention';

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
