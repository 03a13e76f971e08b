import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { draftIncident } from '../../src/domain/lifecycle';
import type { ActionItem, Incident } from '../../src/domain/types';
import { actionsList } from '../../src/slack/blocks/actions-list';
import { incidentCard } from '../../src/slack/blocks/card';
import { incidentList, incidentSummary } from '../../src/slack/blocks/incident-views';
import { blockKitRenderer } from '../../src/slack/blocks/renderer';
import { renderReply } from '../../src/slack/replies';
import { responseUrlResponder } from '../../src/slack/responder';

const NOW = Date.UTC(2026, 1, 20, 12, 0);
const TZ = 'Europe/Oslo';

const incident = (n: number): Incident => ({
  ...draftIncident({
    title: `Checkout returns 503 (${n})`,
    severity: 'P2',
    declaredBy: 'U1',
    originChannelId: 'C0',
    declaredAt: NOW - n * 60_000,
  }),
  id: `INC-2026-00${n}`,
  year: 2026,
  seq: n,
  channelId: `C${n}`,
  channelName: `inc-2026-00${n}`,
});

const action: ActionItem = {
  id: 1,
  incidentId: 'INC-2026-001',
  seq: 1,
  text: 'Add an alert',
  owner: 'U2',
  due: null,
  priority: 'P3',
  status: 'open',
  createdAt: NOW,
  createdBy: 'U1',
  doneAt: null,
  sourceRef: null,
};

describe('renderReply', () => {
  it('passes text replies through, ephemeral unless said otherwise', () => {
    expect(renderReply({ kind: 'text', text: 'Done.' })).toEqual({ text: 'Done.' });
    expect(renderReply({ kind: 'text', text: 'Hi all', inChannel: true })).toEqual({
      text: 'Hi all',
      inChannel: true,
    });
  });

  it('draws the list, show and actions view models with the Block Kit builders', () => {
    const open = [incident(1)];
    const closed = [incident(2)];
    expect(renderReply({ kind: 'list', open, closed, timeZone: TZ })).toEqual(incidentList(open, closed, TZ));
    const show = {
      incident: incident(1),
      terms: [],
      timeline: [],
      actions: [action],
      timeZone: TZ,
      now: NOW,
    };
    expect(renderReply({ kind: 'show', ...show })).toEqual(incidentSummary(show));
    const drawn = renderReply({ kind: 'actions', incident: incident(1), actions: [action] });
    expect(drawn).toEqual(actionsList(incident(1), [action]));
    expect(drawn.text).toBe('INC-2026-001: 1 open of 1 action items');
  });
});

describe('blockKitRenderer', () => {
  it('draws the card the services ask for', () => {
    const view = { incident: incident(1), terms: [], timeZone: TZ, now: NOW };
    expect(blockKitRenderer.card(view)).toEqual(incidentCard(view));
    expect(blockKitRenderer.declareModal('C9')).toMatchObject({
      type: 'modal',
      private_metadata: JSON.stringify({ channel: 'C9' }),
    });
  });
});

describe('responseUrlResponder', () => {
  it('posts ephemeral and in-channel answers as JSON, and throws when the response_url refuses', async () => {
    const bodies: unknown[] = [];
    let status = 200;
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        bodies.push({ type: req.headers['content-type'], body: JSON.parse(body) });
        res.writeHead(status).end('ok');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/respond`;
    try {
      const responder = responseUrlResponder(url);
      await responder.ephemeral('only you');
      await responder.inChannel('everyone', [{ type: 'divider' }]);
      expect(bodies).toEqual([
        {
          type: 'application/json',
          body: { response_type: 'ephemeral', replace_original: false, text: 'only you' },
        },
        {
          type: 'application/json',
          body: {
            response_type: 'in_channel',
            replace_original: false,
            text: 'everyone',
            blocks: [{ type: 'divider' }],
          },
        },
      ]);
      status = 404;
      await expect(responder.ephemeral('too late')).rejects.toThrow('response_url answered 404');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
