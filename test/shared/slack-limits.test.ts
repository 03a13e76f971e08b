import {
  MAX_BLOCKS_JSON,
  MAX_BLOCKS_TEXT,
  MAX_MESSAGE_BLOCKS,
  MAX_TEXT_LENGTH,
  MAX_VIEW_BLOCKS,
  messageBlocksRejection,
} from '../../src/emulator/validate';
import {
  blocksTextLength,
  FALLBACK_TEXT_MAX,
  MESSAGE_BUDGET,
  SLACK_BLOCKS_TOO_LONG,
  SLACK_LIMITS,
} from '../../src/shared/slack-limits';

describe('what Slack refuses', () => {
  it('is what the emulator refuses', () => {
    expect(MAX_MESSAGE_BLOCKS).toBe(50);
    expect(MAX_VIEW_BLOCKS).toBe(100);
    expect(MAX_TEXT_LENGTH).toBe(40_000);
    expect(MAX_BLOCKS_TEXT).toBe(SLACK_BLOCKS_TOO_LONG.text);
    expect(MAX_BLOCKS_JSON).toBe(SLACK_BLOCKS_TOO_LONG.json);
  });

  it('holds the documented Block Kit limits', () => {
    expect(SLACK_LIMITS.sectionText).toBe(3000);
    expect(SLACK_LIMITS.fields).toBe(10);
    expect(SLACK_LIMITS.fieldText).toBe(2000);
    expect(SLACK_LIMITS.headerText).toBe(150);
    expect(SLACK_LIMITS.privateMetadata).toBe(3000);
  });
});

describe('what we stay under', () => {
  it('stays below what Slack refuses, with a margin', () => {
    expect(MESSAGE_BUDGET.blocks).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
    expect(MESSAGE_BUDGET.text).toBeLessThan(SLACK_BLOCKS_TOO_LONG.text);
    expect(MESSAGE_BUDGET.json).toBeLessThan(SLACK_BLOCKS_TOO_LONG.json);
    expect(FALLBACK_TEXT_MAX).toBeLessThan(SLACK_LIMITS.messageText);
  });

  it('is accepted by the emulator when a message uses all of it', () => {
    // Arrange: 50 sections of 240 characters = 12,000 characters of text.
    const blocks = Array.from({ length: MESSAGE_BUDGET.blocks }, () => ({
      type: 'section',
      text: { type: 'mrkdwn', text: 'x'.repeat(MESSAGE_BUDGET.text / MESSAGE_BUDGET.blocks) },
    }));

    // Act
    const rejection = messageBlocksRejection(blocks);

    // Assert
    expect(blocksTextLength(blocks)).toBe(MESSAGE_BUDGET.text);
    expect(rejection).toBeUndefined();
  });

  it('is refused by the emulator just past what Slack refuses', () => {
    const blocks = [
      { type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3000) } },
      ...Array.from({ length: 4 }, () => ({
        type: 'section',
        text: { type: 'mrkdwn', text: 'y'.repeat(2501) },
      })),
    ];

    expect(blocksTextLength(blocks)).toBe(SLACK_BLOCKS_TOO_LONG.text + 4);
    expect(messageBlocksRejection(blocks)?.error).toBe('msg_blocks_too_long');
  });
});

describe('blocksTextLength', () => {
  it('counts every string under a text key, at any depth, and nothing else', () => {
    const blocks = [
      { type: 'header', text: { type: 'plain_text', text: 'abc' } },
      { type: 'section', fields: [{ type: 'mrkdwn', text: 'de' }], block_id: 'not counted' },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'f' }] },
    ];

    expect(blocksTextLength(blocks)).toBe(6);
  });
});
