/** The demo's script: the incident of the worked example, step by step, played as Slack would play it. */
import fs from 'node:fs';
import path from 'node:path';
import type { Firewatch } from '../app';
import type { SlackEmulator, SlackReply, SlackRequestClient, ViewRecord } from '../emulator';
import { escapeSlack } from '../shared/slack-text';
import { closeFieldBlock } from '../slack/blocks/close-modal';
import { IDS } from '../slack/ids';
import { MONITOR, PEOPLE, type Person } from './cast';
import { controlLabel, describeEntries, type Entries, formButtons } from './forms';
import { EMOJI, emojify, type Printer } from './printer';
import type { StoryClock } from './story-clock';
import { SlackWatcher } from './watcher';

/** What a finished demo leaves behind. */
export interface DemoResult {
  /** The compiled postmortem, `POSTMORTEM_DIR/INC-YYYY-NNN.md`. */
  postmortemPath: string;
  /** The postmortem summary Firewatch posted in the incident channel, rendered as plain text. */
  summaryText: string;
  /** The incident's id, `INC-2026-001` on a fresh database. */
  incidentId: string;
}

/** What a reaction makes Firewatch do (the default emoji map). */
const REACTION_HINT: Record<string, string> = {
  pushpin: 'Firewatch puts the message on the timeline',
  bulb: 'Firewatch adds it to the lessons learned',
  ballot_box_with_check: 'Firewatch makes it an action item',
};

/** The `token` field of the demo's requests (the legacy verification token). */
const VERIFICATION_TOKEN = 'demo-verification-token';

/** The reply, when the bot accepted the request as Slack expects (HTTP 200). */
function accepted<T extends SlackReply>(reply: T): T {
  if (reply.status !== 200)
    throw new Error(`The bot answered ${reply.status} to a Slack request: ${reply.body}`);
  return reply;
}

/** What the story needs: the emulator, the bot, the client playing Slack, the clock and the printer. */
export interface StoryDeps {
  slack: SlackEmulator;
  firewatch: Firewatch;
  /** Sends the bot Slack's signed requests. */
  client: SlackRequestClient;
  clock: StoryClock;
  print: Printer;
  ops: string;
  postmortemDir: string;
}

/** A message a person (or the monitoring bot) wrote; `ts` is its Slack timestamp. */
interface Said {
  ts: string;
  channel: string;
  author: string;
  text: string;
}

/** The incident of the worked example, step by step. */
export class Story {
  private readonly watcher: SlackWatcher;
  private seq = 0;
  private incident: { id: string; channel: string; name: string } | null = null;

  constructor(private readonly deps: StoryDeps) {
    this.watcher = new SlackWatcher(deps.slack, deps.print);
  }

  private get channel(): { id: string; name: string } {
    if (!this.incident) throw new Error('No incident declared yet');
    return { id: this.incident.channel, name: this.incident.name };
  }

  private channelLabel(id: string): string {
    return `#${this.deps.slack.channel(id)?.name ?? id}`;
  }

  /** A Slack ts at story time: the second, then a sequence number so every ts is unique. */
  private ts(at: number): string {
    this.seq += 1;
    return `${Math.floor(at / 1000)}.${String(this.seq).padStart(6, '0')}`;
  }

  /** Slack's rendering of typed text (`should_escape`): entities escaped, `@name` as a user mention. */
  private slackText(typed: string, withLabels: boolean): string {
    return escapeSlack(typed).replace(/@(alem|ingrid|tomas)\b/g, (_, name: Person) =>
      withLabels ? `<@${PEOPLE[name].id}|${name}>` : `<@${PEOPLE[name].id}>`,
    );
  }

  /** An Events API callback for `event` (in the story's workspace), stamped with the story time `eventTime`. */
  private async event(event: Record<string, unknown>, eventTime: number): Promise<void> {
    const team = this.deps.slack.teamId;
    accepted(await this.deps.client.event({ ...event, team }, { eventTime }));
  }

  /** Waits for the bot's background work and outbox, then prints what it did in Slack. */
  private async settle(): Promise<void> {
    await this.deps.firewatch.idle();
    this.watcher.flush();
  }

  /** `who` runs `/incident <typed>` (in the incident channel unless `where` is given) at `time`. */
  private async run(time: string, who: Person, typed: string, where?: string): Promise<void> {
    const at = this.deps.clock.advanceTo(time);
    const channel = where ? { id: where, name: this.channelLabel(where).slice(1) } : this.channel;
    const inWhere = where ? ` in #${channel.name}` : '';
    this.deps.print.line(`${this.deps.clock.label(at)}  ${who}${inWhere} › /incident ${typed}`);
    const reply = accepted(
      await this.deps.client.slashCommand({
        token: VERIFICATION_TOKEN,
        team_domain: 'drop',
        channel_id: channel.id,
        channel_name: channel.name,
        user_id: PEOPLE[who].id,
        user_name: who,
        command: '/incident',
        text: this.slackText(typed, true),
      }),
    );
    this.watcher.targets.set(reply.responseUrl, { channel: channel.id, user: PEOPLE[who].id });
    const ack = reply.json ?? {};
    const shown = this.watcher.render(ack);
    if (shown) {
      const lines = shown.split('\n');
      const audience =
        ack.response_type === 'in_channel' ? `everyone in #${channel.name} sees` : `only ${who} sees`;
      this.deps.print.effect(`${audience}: ${lines[0]}`);
      if (lines.length > 1) this.deps.print.body(lines.slice(1).join('\n'));
    }
    if (String(ack.text ?? '').startsWith(':warning:') || String(ack.text ?? '').startsWith(':x:')) {
      throw new Error(`/incident ${typed} was refused: ${String(ack.text)}`);
    }
    await this.settle();
  }

  /** The pinned incident card as the channel shows it now (with its current controls). */
  private async card(): Promise<{ ts: string; blocks?: unknown[] }> {
    const { id, name } = this.channel;
    const incident = this.incident ? await this.deps.firewatch.store.getIncident(this.incident.id) : null;
    const card = incident?.cardTs ? this.deps.slack.message(id, incident.cardTs) : undefined;
    if (!card) throw new Error(`The incident card is not in #${name}`);
    return card;
  }

  /** The modals the bot has opened so far. */
  private forms(): ViewRecord[] {
    return this.deps.slack.views().filter((v) => v.view.type === 'modal');
  }

  /**
   * `who` uses a control on the incident card at `time`, as Slack sends it (a signed `block_actions`
   * payload built from the card as drawn now): clicks a button, or picks `pick.user` in the menu
   * `pick.menu`. Resolves with the form the click opened (the watcher prints it), if any.
   */
  private async click(
    time: string,
    who: Person,
    actionId: string,
    pick?: { menu: string; user: Person },
  ): Promise<ViewRecord | null> {
    const at = this.deps.clock.advanceTo(time);
    const card = await this.card();
    const control = controlLabel(card.blocks, actionId);
    if (!control) throw new Error(`The incident card has no control ${actionId}`);
    const what = pick ? `picks @${pick.user} in the ${pick.menu} menu ${control}` : `clicks ${control}`;
    this.deps.print.line(`${this.deps.clock.label(at)}  ${who} ${what} on the incident card`);
    this.watcher.actor = PEOPLE[who].id;
    const formsBefore = this.forms().length;
    const answersBefore = this.deps.slack.responses.length;
    accepted(
      await this.deps.client.blockAction({
        channel: this.channel.id,
        message: card,
        actionId,
        user: PEOPLE[who].id,
        ...(pick ? { selectedUser: PEOPLE[pick.user].id } : {}),
      }),
    );
    await this.settle();
    // A refused click is answered through its response_url, as only the clicker sees it.
    const refusal = this.deps.slack.responses
      .slice(answersBefore)
      .map((r) => String(r.body.text ?? ''))
      .find((text) => text.startsWith(':warning:') || text.startsWith(':x:'));
    if (refusal) throw new Error(`${who}'s click on ${control} was refused: ${refusal}`);
    return this.forms().slice(formsBefore).at(-1) ?? null;
  }

  /**
   * `who` fills in `form` at `time` (`entries` by block_id; every other field stays as it opened)
   * and submits it: a signed `view_submission` payload. Throws when the form shows an error.
   */
  private async fill(time: string, who: Person, form: ViewRecord | null, entries: Entries): Promise<void> {
    if (!form) throw new Error(`No form opened for ${who} to fill in`);
    const at = this.deps.clock.advanceTo(time);
    const { title, submit } = formButtons(form.view);
    this.deps.print.line(`${this.deps.clock.label(at)}  ${who} fills in “${title}” and clicks [${submit}]:`);
    const userName = (id: string) => this.deps.slack.user(id)?.name ?? id;
    this.deps.print.body(describeEntries(form.view, entries, userName).join('\n'));
    this.watcher.actor = PEOPLE[who].id;
    const reply = accepted(await this.deps.client.submitView(form, { user: PEOPLE[who].id, entries }));
    if (reply.json?.response_action === 'errors') {
      throw new Error(`The form “${title}” was refused: ${JSON.stringify(reply.json.errors)}`);
    }
    this.deps.print.effect('the form closes');
    await this.settle();
  }

  /** A message in `channel` at `time`: stored in the emulator as Slack would, then sent as an event. */
  private async say(
    time: string,
    who: Person | 'monitor',
    text: string,
    opts: { channel?: string; thread?: Said } = {},
  ): Promise<Said> {
    const at = this.deps.clock.advanceTo(time);
    const channel = opts.channel ?? this.channel.id;
    const ts = this.ts(at);
    const bot = who === 'monitor';
    const user = bot ? MONITOR.userId : PEOPLE[who].id;
    const slackText = this.slackText(text, false);
    const threadTs = opts.thread?.ts;
    this.deps.slack.seedMessage(channel, {
      user,
      text: slackText,
      ts,
      ...(bot ? { bot_id: MONITOR.botId } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    const author = bot ? `${MONITOR.label} (app)` : who;
    const where = threadTs ? ' (in the thread)' : '';
    this.deps.print.line(
      `${this.deps.clock.label(at)}  [${this.channelLabel(channel)}] ${author}${where}: ${emojify(text)}`,
    );
    await this.event(
      {
        type: 'message',
        channel,
        channel_type: 'channel',
        user,
        text: slackText,
        ts,
        event_ts: ts,
        ...(bot
          ? {
              bot_id: MONITOR.botId,
              app_id: 'A0BETTERS1',
              bot_profile: { id: MONITOR.botId, name: MONITOR.label, app_id: 'A0BETTERS1' },
            }
          : {}),
        ...(threadTs ? { thread_ts: threadTs, parent_user_id: opts.thread?.author } : {}),
      },
      Math.floor(at / 1000),
    );
    await this.settle();
    return { ts, channel, author: user, text };
  }

  /** `who` reacts to a message with `emoji` (no colons) at `time`. */
  private async react(time: string, who: Person, emoji: string, message: Said): Promise<void> {
    const at = this.deps.clock.advanceTo(time);
    const user = PEOPLE[who].id;
    this.deps.slack.addReaction(message.channel, message.ts, emoji, user);
    const text = emojify(message.text);
    const quoted = text.length > 48 ? `${text.slice(0, 47)}…` : text;
    const author =
      message.author === MONITOR.userId
        ? MONITOR.label
        : (this.deps.slack.user(message.author)?.name ?? message.author);
    const where = `[${this.channelLabel(message.channel)}]`;
    this.deps.print.line(
      `${this.deps.clock.label(at)}  ${where} ${who} reacted ${EMOJI[emoji] ?? `:${emoji}:`} to ${author}'s “${quoted}”`,
    );
    if (REACTION_HINT[emoji]) this.deps.print.effect(`(${REACTION_HINT[emoji]}; nothing is posted)`);
    await this.event(
      {
        type: 'reaction_added',
        user,
        reaction: emoji,
        item: { type: 'message', channel: message.channel, ts: message.ts },
        item_user: message.author,
        event_ts: this.ts(at),
      },
      Math.floor(at / 1000),
    );
    await this.settle();
  }

  /** `who` joins the incident channel (conversations.join with their own token), and Slack tells the bot. */
  private async join(time: string, who: Person): Promise<void> {
    const at = this.deps.clock.advanceTo(time);
    const { id } = this.channel;
    const res = await fetch(`${this.deps.slack.url}conversations.join`, {
      method: 'POST',
      headers: {
        authorization: `Bearer xoxp-${PEOPLE[who].id}-demo`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ channel: id }).toString(),
    });
    const answer = (await res.json()) as { ok?: boolean; error?: string };
    if (!answer.ok) throw new Error(`${who} could not join ${this.channelLabel(id)}: ${answer.error}`);
    this.deps.print.line(`${this.deps.clock.label(at)}  ${who} joins ${this.channelLabel(id)}`);
    await this.memberJoined(PEOPLE[who].id, id, at);
  }

  private async memberJoined(user: string, channel: string, at: number, inviter?: string): Promise<void> {
    await this.event(
      {
        type: 'member_joined_channel',
        user,
        channel,
        channel_type: 'C',
        ...(inviter ? { inviter } : {}),
        event_ts: this.ts(at),
      },
      Math.floor(at / 1000),
    );
    await this.settle();
  }

  /** The whole incident; resolves with the compiled postmortem. */
  async play(): Promise<DemoResult> {
    const { print, slack, ops } = this.deps;
    this.watcher.skip();

    print.heading('Detection: the health check fails');
    await this.say(
      '10:30:30',
      'monitor',
      ':red_circle: Drop Health Check is DOWN: /api/health returns HTTP 503',
      {
        channel: ops,
      },
    );

    // Alem acknowledges the alert by declaring the incident, 15 s after it fired: the template's
    // time to acknowledge (detection → first human response).
    print.heading('Acknowledging: Alem declares the incident');
    const createdFrom = slack.calls.length;
    await this.run('10:30:45', 'alem', 'declare P1 Database connection pool exhausted', ops);
    const created = slack.calls
      .slice(createdFrom)
      .find((c) => c.method === 'conversations.create' && c.response?.ok);
    const channelId = (created?.response?.channel as { id?: string } | undefined)?.id;
    const incident = channelId ? await this.deps.firewatch.store.findIncidentByChannel(channelId) : null;
    if (!incident?.channelId || !incident.channelName)
      throw new Error('The declaration did not open an incident');
    this.incident = { id: incident.id, channel: incident.channelId, name: incident.channelName };
    // Slack tells the bot about the members its invitation added.
    await this.memberJoined(PEOPLE.alem.id, incident.channelId, this.deps.clock.now(), slack.botUserId);
    await this.join('10:31:10', 'ingrid');
    await this.join('10:31:12', 'tomas');
    await this.run('10:31:15', 'alem', 'started 10:30');
    await this.run('10:31:20', 'alem', 'detected 10:30:30 by BetterStack monitor');
    // Ingrid becomes Technical Lead from the card's menu; Tomás's role is typed.
    await this.click('10:31:25', 'alem', IDS.card.roleActions.tech, {
      menu: 'Technical Lead',
      user: 'ingrid',
    });
    await this.run('10:31:28', 'alem', 'comms @tomas');

    print.heading('Investigating');
    const health = await this.say(
      '10:31:30',
      'alem',
      '/api/health: {"status":"down","checks":{"db":{"status":"fail"}}}',
    );
    await this.react('10:31:35', 'alem', 'pushpin', health);
    const refused = await this.say(
      '10:32:00',
      'ingrid',
      'CloudWatch logs: repeated "connection refused" to RDS',
    );
    await this.react('10:32:05', 'ingrid', 'pushpin', refused);
    await this.say(
      '10:32:30',
      'ingrid',
      'RDS itself shows available, and psql from the bastion connects fine',
      {
        thread: refused,
      },
    );
    await this.say(
      '10:33:00',
      'tomas',
      'Support: payments and logins fail for everyone. Status page says Investigating.',
    );
    const pool = await this.say(
      '10:34:00',
      'ingrid',
      'New hypothesis: the app connection pool is exhausted, 45+ connections from BankID login callbacks',
    );
    await this.react('10:34:05', 'alem', 'pushpin', pool);
    // Through the card's button and its form, backdated to the hypothesis: diagnosed 3.5 minutes
    // after the alert. (The move to monitoring below is typed.)
    const statusForm = await this.click('10:34:10', 'ingrid', IDS.card.statusAction);
    await this.fill('10:34:20', 'ingrid', statusForm, {
      [IDS.statusModal.statusBlock]: 'identified',
      [IDS.statusModal.timeBlock]: '10:34',
      [IDS.statusModal.messageBlock]: 'Connection pool exhausted by a burst of BankID logins',
    });
    await this.run(
      '10:34:40',
      'tomas',
      'update Payments and logins are failing for all users. Cause found, fix under way; next update 10:45.',
    );

    print.heading('Mitigating');
    const restart = await this.say(
      '10:35:00',
      'alem',
      'fix: restarting App Runner (aws apprunner start-deployment) -> new process, fresh pool',
    );
    await this.react('10:35:05', 'alem', 'pushpin', restart);
    await this.say('10:38:00', 'ingrid', 'App Runner deployment complete, service RUNNING');
    const up = await this.say(
      '10:38:45',
      'monitor',
      ':white_check_mark: Drop Health Check is UP (downtime: 8 min)',
    );
    await this.react('10:38:50', 'ingrid', 'pushpin', up);
    await this.run(
      '10:39:00',
      'ingrid',
      'status monitoring at 10:38:30 Health check green; watching for 15 minutes',
    );
    const campaign = await this.say(
      '10:41:00',
      'tomas',
      'Marketing sent a campaign email to all users at 10:28 and nobody told platform. Big sends need a capacity check first.',
    );
    await this.react('10:41:10', 'alem', 'bulb', campaign);
    const limit = await this.say(
      '10:42:00',
      'ingrid',
      'Rate-limit BankID login initiation across all IPs, not only per IP',
    );
    await this.react('10:42:10', 'alem', 'ballot_box_with_check', limit);
    await this.run(
      '10:43:00',
      'alem',
      'note at 10:28 Marketing campaign email sent to all users (the login burst)',
    );

    print.heading('Follow-up work and the postmortem fields, while monitoring');
    await this.run(
      '10:45:00',
      'alem',
      'action Configure PgBouncer or RDS Proxy for connection pooling @alem due 2026-03-01 P1',
    );
    await this.run(
      '10:45:20',
      'alem',
      'action Alarm on DatabaseConnections > 70 for db.t4g.micro @ingrid due 2026-02-27 P1',
    );
    const actionForm = await this.click('10:45:30', 'ingrid', IDS.card.actionItemAction);
    await this.fill('10:45:40', 'ingrid', actionForm, {
      [IDS.actionItemModal.textBlock]: 'Add connection pool metrics to /api/health',
      [IDS.actionItemModal.ownerBlock]: PEOPLE.ingrid.id,
      [IDS.actionItemModal.dueBlock]: '2026-03-06',
      [IDS.actionItemModal.priorityBlock]: 'P2',
    });
    await this.run(
      '10:50:00',
      'alem',
      'set summary A burst of BankID logins after a marketing email exhausted the database connection pool; the Drop API returned 503 to all users for 28 minutes until App Runner was restarted.',
    );
    await this.run(
      '10:50:20',
      'ingrid',
      'set root-cause RDS PostgreSQL connection pool exhausted by 45+ concurrent BankID login callbacks; no PgBouncer or RDS Proxy in front of the database',
    );
    await this.run(
      '10:50:40',
      'ingrid',
      'set trigger Marketing campaign email to all users at 10:28 (burst of BankID logins)',
    );
    await this.run('10:51:00', 'alem', 'set services Drop API (all users)');
    await this.run('10:51:10', 'alem', 'set environment production');
    await this.run('10:51:30', 'tomas', 'set went-well BetterStack alerted within 30 seconds');
    await this.run(
      '10:51:40',
      'tomas',
      'set went-well The App Runner restart brought the API back in about 4 minutes',
    );
    await this.run(
      '10:52:20',
      'ingrid',
      'set contributing No connection pooler: the pg driver pool was bounded only by RDS limits',
    );
    await this.run(
      '10:52:40',
      'ingrid',
      'set contributing No circuit breaker: the app could not degrade without the database',
    );
    await this.run(
      '10:52:50',
      'tomas',
      'set impact Every screen of the app failed; payments and logins were blocked.',
    );
    await this.run('10:53:00', 'tomas', 'set users-affected All active users (100%, full outage)');
    await this.run('10:53:10', 'tomas', 'set revenue-impact About 3–5 remittances and 2 QR payments blocked');
    await this.run(
      '10:53:20',
      'tomas',
      'set customer-impact Error screens everywhere; /api/health returned 503',
    );
    await this.run('10:53:30', 'ingrid', 'set data-impact None: no data loss, audit logs intact');
    await this.run('10:53:40', 'ingrid', 'set why Why did users see errors? The API returned 503');
    await this.run('10:53:45', 'ingrid', 'set why Why 503? The connection pool was exhausted');
    await this.run(
      '10:53:50',
      'ingrid',
      'set why Why exhausted? A login burst opened 45+ connections at once',
    );
    await this.say('10:54:00', 'ingrid', 'Stable for 15 minutes, error spike cleared');

    print.heading('Resolving and closing');
    await this.run('11:01:00', 'alem', 'resolve at 10:58 Stable for 15 minutes; error spike cleared');
    const closeFrom = slack.calls.length;
    print.cutNote = ' (the whole summary is printed below)';
    // The guided close: the form starts with what is written and asks for what is still missing.
    const closeForm = await this.click('11:04:30', 'alem', IDS.card.closeAction);
    await this.fill('11:05:00', 'alem', closeForm, {
      [closeFieldBlock('went-wrong')]:
        'No alarm on DatabaseConnections: the health check was the first signal',
    });

    const summary = slack.calls
      .slice(closeFrom)
      .find(
        (c) =>
          c.method === 'chat.postMessage' &&
          c.response?.ok &&
          c.args.channel === this.channel.id &&
          Array.isArray(c.args.blocks),
      );
    if (!summary) throw new Error('Firewatch did not post the postmortem summary');
    const postmortemPath = path.join(this.deps.postmortemDir, `${incident.id}.md`);
    if (!fs.existsSync(postmortemPath)) throw new Error(`Firewatch did not write ${postmortemPath}`);
    return { postmortemPath, summaryText: this.watcher.render(summary.args), incidentId: incident.id };
  }
}
