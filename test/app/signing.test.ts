import { isValidSlackRequest } from '@slack/bolt';
import { Harness, SIGNING_SECRET } from '../support/harness';
import { slackSignature } from '../support/signing';

// Slack's published example (docs: "Verifying requests from Slack").
const VECTOR = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: 1531420618,
  body:
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&' +
    'channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&' +
    'response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&' +
    'trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};

describe('request signing', () => {
  it('reproduces Slack’s published test vector, and Bolt’s verifier accepts it', () => {
    expect(slackSignature(VECTOR.secret, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
    expect(
      isValidSlackRequest({
        signingSecret: VECTOR.secret,
        body: VECTOR.body,
        headers: { 'x-slack-signature': VECTOR.signature, 'x-slack-request-timestamp': VECTOR.timestamp },
        nowMilliseconds: VECTOR.timestamp * 1000 + 10_000,
      }),
    ).toBe(true);
  });

  describe('over HTTP', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await Harness.start();
    });
    afterAll(() => h.stop());

    it('accepts a correctly signed command', async () => {
      const reply = await h.slash('help');
      expect(reply.status).toBe(200);
      expect(reply.json.text).toContain('/incident declare');
    });

    it('rejects a forged signature with 401 and changes nothing', async () => {
      const body = new URLSearchParams({
        command: '/incident',
        text: 'declare P1 forged',
        user_id: 'UEVE',
      }).toString();
      const ts = Math.floor(Date.now() / 1000);
      const reply = await h.signedPost(body, 'application/x-www-form-urlencoded', {}, ts, 'not-the-secret');
      expect(reply.status).toBe(401);
      expect(await h.store.listIncidents('all', 10)).toHaveLength(0);
      expect(h.slack.callsTo('conversations.create')).toHaveLength(0);
    });

    it('rejects a stale timestamp (over 5 minutes old) with 401', async () => {
      const body = new URLSearchParams({ command: '/incident', text: 'help', user_id: 'UEVE' }).toString();
      const stale = Math.floor(Date.now() / 1000) - 6 * 60;
      const reply = await h.signedPost(body, 'application/x-www-form-urlencoded', {}, stale, SIGNING_SECRET);
      expect(reply.status).toBe(401);
    });
  });
});
