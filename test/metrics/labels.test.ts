import { eventTypeOf, isOwnMessage, methodLabel, requestKindOf } from '../../src/metrics/labels';

describe('metric labels', () => {
  it('tells events, commands and interactions apart', () => {
    expect(requestKindOf({ type: 'event_callback', event: { type: 'message' } })).toBe('events');
    expect(requestKindOf({ command: '/incident', text: 'declare P1 x' })).toBe('commands');
    expect(requestKindOf({ type: 'block_actions', actions: [] })).toBe('interactions');
    expect(requestKindOf({ type: 'view_submission' })).toBe('interactions');
    expect(requestKindOf(null)).toBe('events');
  });

  it('bounds event types to those Firewatch handles, and methods to those it calls', () => {
    expect(eventTypeOf({ event: { type: 'reaction_removed' } })).toBe('reaction_removed');
    expect(eventTypeOf({ event: { type: 'app_mention' } })).toBe('other');
    expect(eventTypeOf({ event: { type: 'other' } })).toBe('other');
    expect(eventTypeOf({ event: { type: 'a'.repeat(1000) } })).toBe('other');
    expect(eventTypeOf('nonsense')).toBe('other');
    expect(methodLabel('chat.postMessage')).toBe('chat.postMessage');
    expect(methodLabel('admin.users.remove')).toBe('other');
  });

  it("recognises the bot's own message (by bot_id, or the authorized user)", () => {
    expect(isOwnMessage({ event: { type: 'message', bot_id: 'B1' } })).toBe(true);
    expect(
      isOwnMessage({ event: { type: 'message', user: 'UBOT' }, authorizations: [{ user_id: 'UBOT' }] }),
    ).toBe(true);
    expect(
      isOwnMessage({ event: { type: 'message', user: 'UBOB' }, authorizations: [{ user_id: 'UBOT' }] }),
    ).toBe(false);
    expect(isOwnMessage({ event: { type: 'reaction_added', user: 'UBOT' } })).toBe(false);
  });
});
