import fs from 'node:fs';
import path from 'node:path';
import { viewRejection } from '../../../src/emulator/validate';
import { closeFieldBlock } from '../../../src/slack/blocks/close-modal';
import { IDS } from '../../../src/slack/ids';
import { Harness } from '../../support/harness';

interface InputBlock {
  type: string;
  block_id?: string;
  element?: { initial_value?: string };
  elements?: { text: string }[];
}

describe('the guided close, over real HTTP', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await Harness.start();
  });
  afterEach(async () => {
    await h.stop();
  });

  const joins = (user: string, channel: string) =>
    h.event({
      type: 'member_joined_channel',
      user,
      channel,
      channel_type: 'C',
      event_ts: `${Date.now() / 1000}`,
    });

  it('opens pre-filled with what is written, stores what is added, then compiles and posts the postmortem', async () => {
    const { incident, channel } = await h.declare('P2 Checkout API 503');
    await h.slash('set summary The pool ran dry at 10:30', { channel });
    await h.slash('set went-well Paging worked', { channel });
    await h.slash('set went-well Rollback took 2 minutes', { channel });
    await h.idle();

    await h.clickCard(incident.id, IDS.card.closeAction);
    const form = h.lastView();
    expect(form.view.callback_id).toBe(IDS.closeModal.callbackId);
    expect(viewRejection(form.view)).toBeUndefined();
    const blocks = form.view.blocks as InputBlock[];
    const input = (field: Parameters<typeof closeFieldBlock>[0]) =>
      blocks.find((b) => b.block_id === closeFieldBlock(field));
    expect(input('summary')?.element?.initial_value).toBe('The pool ran dry at 10:30');
    expect(input('root-cause')?.element).not.toHaveProperty('initial_value');
    const shown = JSON.stringify(blocks);
    expect(shown).toContain('• Paging worked');
    expect(shown).toContain('• Rollback took 2 minutes');

    const reply = await h.submitLastView({
      [closeFieldBlock('root-cause')]: 'Pool of 20 for 2,000 concurrent logins',
      [closeFieldBlock('users-affected')]: 'About 12,000 checkouts',
      [closeFieldBlock('went-wrong')]: '- No alarm on connections\n\n• Runbook was stale',
      [closeFieldBlock('lessons')]: 'Capacity-check campaigns',
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('');

    const closed = (await h.store.getIncident(incident.id))!;
    expect(closed.status).toBe('closed');
    const fields = (await h.store.fields(incident.id)).map((f) => [f.field, f.value]);
    expect(fields).toEqual(
      expect.arrayContaining([
        ['root-cause', 'Pool of 20 for 2,000 concurrent logins'],
        ['users-affected', 'About 12,000 checkouts'],
        ['went-wrong', 'No alarm on connections'],
        ['went-wrong', 'Runbook was stale'],
        ['lessons', 'Capacity-check campaigns'],
      ]),
    );
    // Unchanged fields are not written again.
    expect(fields.filter(([f]) => f === 'summary')).toHaveLength(1);
    expect(fields.filter(([f]) => f === 'went-well')).toHaveLength(2);

    const [record] = await h.store.postmortems(incident.id);
    expect(record?.version).toBe(1);
    const markdown = fs.readFileSync(path.join(h.config.postmortemDir, `${incident.id}.md`), 'utf8');
    expect(markdown).toBe(record!.markdown);
    expect(markdown).toContain('Pool of 20 for 2,000 concurrent logins');
    expect(markdown).toContain('About 12,000 checkouts');
    expect(markdown).toContain('Runbook was stale');
    // What nobody wrote (the trigger, data impact) reads _Not recorded_.
    expect(markdown).toContain('_Not recorded_');
    expect(h.slack.callsTo('files.completeUploadExternal').length).toBe(1);
    expect(
      h.slack
        .callsTo('chat.postMessage')
        .some((c) => c.args.channel === channel && /closed\* by <@UALICE>/.test(String(c.args.text))),
    ).toBe(true);
    // The closed card offers only reopen and action items.
    const after = JSON.stringify((await h.card(incident.id)).blocks);
    expect(after).toContain(IDS.card.reopenAction);
    expect(after).not.toContain(IDS.card.closeAction);
  });

  it('an emptied text field clears it (the document says _Not recorded_ again)', async () => {
    const { incident, channel } = await h.declare('P3 Search is slow');
    await h.slash('set trigger The 10:28 deploy', { channel });
    await h.idle();
    await h.clickCard(incident.id, IDS.card.closeAction);
    await h.submitLastView({ [closeFieldBlock('trigger')]: '' });
    const markdown = (await h.store.postmortems(incident.id))[0]!.markdown;
    expect(markdown).not.toContain('The 10:28 deploy');
  });

  it('leaves a field set by someone else while the form was open as they set it, when the form did not change it', async () => {
    const { incident, channel } = await h.declare('P3 Search is slow');
    await h.slash('set root-cause Unknown yet', { channel });
    await h.slash('set trigger A deploy', { channel });
    await h.idle();
    await h.clickCard(incident.id, IDS.card.closeAction);
    // Meanwhile a teammate writes the root cause with a command.
    await h.slash('set root-cause An index rebuild held a table lock', { channel });
    await h.idle();
    // The form still shows "Unknown yet" there; the closer only changes the trigger.
    await h.submitLastView({ [closeFieldBlock('trigger')]: 'The 10:28 deploy' });
    const markdown = (await h.store.postmortems(incident.id))[0]!.markdown;
    expect(markdown).toContain('An index rebuild held a table lock');
    expect(markdown).not.toContain('Unknown yet');
    expect(markdown).toContain('The 10:28 deploy');
  });

  it('keeps a text field too long for the form when it is left empty', async () => {
    const { incident, channel } = await h.declare('P3 Search is slow');
    const long = `Root cause: ${'the index was rebuilt while serving traffic; '.repeat(80)}end.`;
    expect(long.length).toBeGreaterThan(3000);
    await h.slash(`set root-cause ${long}`, { channel });
    await h.idle();
    await h.clickCard(incident.id, IDS.card.closeAction);
    const form = h.lastView();
    expect(viewRejection(form.view)).toBeUndefined();
    const blocks = form.view.blocks as InputBlock[];
    expect(blocks.find((b) => b.block_id === closeFieldBlock('root-cause'))?.element).not.toHaveProperty(
      'initial_value',
    );
    expect(JSON.stringify(blocks)).toContain('too long for this form');
    await h.submitLastView();
    expect((await h.store.getIncident(incident.id))!.status).toBe('closed');
    expect((await h.store.fields(incident.id)).filter((f) => f.field === 'root-cause')).toHaveLength(1);
    expect((await h.store.postmortems(incident.id))[0]!.markdown).toContain('end.');
  });

  it('is refused at the click for a member without a role: no form, and they are told who may', async () => {
    const { incident, channel } = await h.declare('P2 Checkout API 503');
    await joins('UBOB', channel);
    const opened = h.slack.views().length;
    await h.clickCard(incident.id, IDS.card.closeAction, { user: 'UBOB' });
    expect(h.slack.views()).toHaveLength(opened);
    expect(h.ephemeralsFor('UBOB').at(-1)).toContain(
      `:no_entry: Only the incident's role holders or a Firewatch admin may close ${incident.id}.`,
    );
    expect((await h.store.getIncident(incident.id))!.status).toBe('investigating');
  });

  it('stores nothing when the incident was closed meanwhile, and says so on the form', async () => {
    const { incident, channel } = await h.declare('P2 Checkout API 503');
    await h.clickCard(incident.id, IDS.card.closeAction);
    await h.slash('close', { channel });
    await h.idle();
    const reply = await h.submitLastView({ [closeFieldBlock('root-cause')]: 'written too late' });
    expect(reply.json.response_action).toBe('errors');
    expect(reply.json.errors[closeFieldBlock('summary')]).toContain('is already closed');
    expect((await h.store.fields(incident.id)).some((f) => f.value === 'written too late')).toBe(false);
    expect(await h.store.postmortems(incident.id)).toHaveLength(1);
  });
});
