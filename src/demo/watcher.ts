/** The demo's view of Slack: what the bot did between two steps, printed as people would have seen it. */
import type { RecordedCall, RecordedResponse, SlackEmulator } from '../emulator';
import { describeForm } from './forms';
import { emojify, type Printer } from './printer';

/** What the bot did in Slack between two steps, from the emulator's record of calls and response_url posts. */
export class SlackWatcher {
  private calls = 0;
  private responses = 0;
  private readonly seen = new Set<string>();
  /** Last rendered text of each bot post, to show what an update changed. */
  private readonly rendered = new Map<string, string>();
  /** Where each response_url leads (the channel and user of its slash command). */
  readonly targets = new Map<string, { channel: string; user: string }>();
  /** The person of the step being played: forms open for them, and a click's answers are theirs. */
  actor: string | null = null;

  constructor(
    private readonly slack: SlackEmulator,
    private readonly print: Printer,
  ) {}

  private channelName(id: unknown): string {
    return `#${this.slack.channel(String(id))?.name ?? String(id)}`;
  }

  private userName(id: unknown): string {
    return `@${this.slack.user(String(id))?.name ?? String(id)}`;
  }

  /** Renders a message with names resolved and emoji shown. */
  render(message: { text?: unknown; blocks?: unknown; attachments?: unknown }): string {
    return emojify(
      this.slack.renderMessage({
        ...(typeof message.text === 'string' ? { text: message.text } : {}),
        ...(Array.isArray(message.blocks) ? { blocks: message.blocks } : {}),
        ...(Array.isArray(message.attachments) ? { attachments: message.attachments } : {}),
      }),
    );
  }

  /** Marks everything so far as shown (posts made before the story starts). */
  skip(): void {
    this.calls = this.slack.calls.length;
    this.responses = this.slack.responses.length;
  }

  /** Prints, in order, what the bot did since the last call. */
  flush(): void {
    const calls = this.slack.calls.slice(this.calls).map((call) => ({ at: call.at, call }));
    const responses = this.slack.responses
      .slice(this.responses)
      .map((response) => ({ at: response.at, response }));
    this.calls = this.slack.calls.length;
    this.responses = this.slack.responses.length;
    const items = [...calls, ...responses].sort((a, b) => a.at - b.at);
    for (const item of items) {
      if ('call' in item) this.call(item.call);
      else this.response(item.response);
    }
  }

  private post(
    channel: string,
    ts: string,
    message: { text?: unknown; blocks?: unknown },
    how: string,
  ): void {
    const key = `${channel}/${ts}`;
    this.seen.add(key);
    const text = this.render(message);
    this.rendered.set(key, text);
    this.print.effect(`${how} in ${this.channelName(channel)}:`);
    this.print.body(text);
  }

  private call(call: RecordedCall): void {
    const { args, response } = call;
    if (call.status !== 200 || response?.ok === false) {
      if (!['users.info', 'auth.test'].includes(call.method)) {
        this.print.effect(`Slack refused ${call.method}: ${response?.error ?? `HTTP ${call.status}`}`);
      }
      return;
    }
    if (!response) return;
    switch (call.method) {
      case 'conversations.create': {
        const channel = response.channel as { name?: string } | undefined;
        this.print.effect(`firewatch created the channel #${channel?.name ?? String(args.name)}`);
        return;
      }
      case 'conversations.invite':
        this.print.effect(
          `firewatch invited ${String(args.users).split(',').map(this.userName.bind(this)).join(', ')} to ${this.channelName(args.channel)}`,
        );
        return;
      case 'chat.postMessage':
        this.post(String(response.channel), String(response.ts), args, 'firewatch posted');
        return;
      case 'chat.update': {
        const key = `${String(args.channel)}/${String(args.ts)}`;
        const before = this.rendered.get(key);
        const after = this.render(args);
        this.rendered.set(key, after);
        if (before === undefined) {
          this.print.effect(`firewatch updated a message in ${this.channelName(args.channel)}:`);
          this.print.body(after);
          return;
        }
        const old = new Set(before.split('\n'));
        const changed = after.split('\n').filter((l) => !old.has(l) && !l.startsWith('Updated '));
        if (changed.length === 0) return;
        const pinned = this.slack.channel(String(args.channel))?.pins.includes(String(args.ts));
        this.print.effect(
          `firewatch updated the ${pinned ? 'pinned incident card' : 'message'}: ${changed.join(' · ')}`,
        );
        return;
      }
      case 'pins.add': {
        const text = this.rendered.get(`${String(args.channel)}/${String(args.timestamp)}`) ?? 'a message';
        this.print.effect(`firewatch pinned “${text.split('\n')[0]}” in ${this.channelName(args.channel)}`);
        return;
      }
      case 'views.open': {
        const [title, ...fields] = describeForm(response.view, (text) => this.render({ text }));
        const who = this.actor ? this.userName(this.actor).slice(1) : 'the person who clicked';
        this.print.effect(`a form opens for ${who}: ${title ?? ''}`);
        this.print.body(fields.join('\n'));
        return;
      }
      case 'chat.postEphemeral':
        this.print.effect(`only ${this.userName(args.user).slice(1)} sees: ${this.render(args)}`);
        return;
      case 'files.completeUploadExternal': {
        const channel = String(args.channel_id);
        for (const message of this.slack.messages(channel)) {
          const key = `${channel}/${message.ts}`;
          if (message.files?.length && message.user === this.slack.botUserId && !this.seen.has(key)) {
            this.post(channel, message.ts, message, 'firewatch uploaded a file');
            for (const file of message.files) this.print.body(`(${file.name}, ${file.size} bytes)`);
          }
        }
        return;
      }
      default:
        return;
    }
  }

  private response(response: RecordedResponse): void {
    const target = this.targets.get(response.url);
    const body = response.body;
    if (body.response_type === 'in_channel' && target) {
      const message = this.slack
        .messages(target.channel)
        .find(
          (m) =>
            m.user === this.slack.botUserId &&
            m.text === body.text &&
            !this.seen.has(`${target.channel}/${m.ts}`),
        );
      this.post(target.channel, message?.ts ?? response.id, body, 'firewatch replied to the command');
      return;
    }
    const user = target?.user ?? this.actor;
    const who = user ? this.userName(user).slice(1) : 'the person who ran the command';
    this.print.effect(`only ${who} sees: ${this.render(body)}`);
  }
}
