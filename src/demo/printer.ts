/** The demo's transcript: what a person would have seen in Slack, step by step. */
import { databasePath } from '../config';
import { MONITOR, PEOPLE } from './cast';

const INDENT = ' '.repeat(10);
const BODY = `${INDENT}    `;
/** Longer bot posts are cut in the running transcript (the summary is printed whole at the end). */
const MAX_POST_LINES = 16;

/** Slack shortcodes the bot uses, shown as the emoji a person sees in Slack. */
export const EMOJI: Record<string, string> = {
  ballot_box_with_check: '☑️',
  bulb: '💡',
  busts_in_silhouette: '👥',
  eyes: '👀',
  hourglass: '⌛',
  large_blue_circle: '🔵',
  large_orange_circle: '🟠',
  large_yellow_circle: '🟡',
  loudspeaker: '📢',
  lock: '🔒',
  mag: '🔍',
  memo: '📝',
  page_facing_up: '📄',
  pushpin: '📌',
  red_circle: '🔴',
  rotating_light: '🚨',
  stopwatch: '⏱️',
  tada: '🎉',
  warning: '⚠️',
  white_check_mark: '✅',
  white_square: '⬜',
  x: '❌',
};

/** Shows Slack shortcodes (`:pushpin:`) as the emoji a person sees. */
export const emojify = (text: string) =>
  text.replace(/:([a-z0-9_+-]+):/g, (all, name: string) => EMOJI[name] ?? all);

/** What the demo produced, as the transcript's end tells it. */
export interface PrintedOutcome {
  postmortemPath: string;
  summaryText: string;
  incidentId: string;
}

/** Writes the transcript: what a person would have seen in Slack, step by step. */
export class Printer {
  constructor(private readonly out: NodeJS.WritableStream) {}

  line(text = ''): void {
    this.out.write(`${text}\n`);
  }

  /** Lines of a post, indented under the step; long posts are cut (`whole`: never). */
  body(text: string, opts: { whole?: boolean; indent?: string } = {}): void {
    const indent = opts.indent ?? BODY;
    const lines = emojify(text).split('\n');
    const cut = !opts.whole && lines.length > MAX_POST_LINES;
    const shown = cut ? lines.slice(0, MAX_POST_LINES - 1) : lines;
    for (const l of shown) this.line(`${indent}${l}`.trimEnd());
    if (cut) this.line(`${indent}… ${lines.length - shown.length} more lines${this.cutNote}`);
  }

  /** Said after a cut post (e.g. where to read the rest). */
  cutNote = '';

  /** One effect of a step (a reply, a post, a channel created), under the step's line. */
  effect(text: string): void {
    this.line(`${INDENT}↳ ${emojify(text)}`);
  }

  heading(title: string): void {
    this.line();
    this.line(`━━ ${title} ${'━'.repeat(Math.max(4, 100 - title.length))}`);
  }

  intro(info: { botUrl: string; slackUrl: string; database: string; day: string; zone: string }): void {
    const text = [
      'Firewatch demo: a P1 incident from declaration to postmortem, without a Slack workspace.',
      '',
      '  The real bot (createFirewatch: Bolt in HTTP mode, SQLite, the outbox) runs here; a Slack Web API',
      '  emulator stands in for Slack. Every step is a signed request to the bot, sent as Slack sends it.',
      '  Most steps are typed commands; a few are clicks on the incident card and the forms they open.',
      '',
      `  Bot       ${info.botUrl}`,
      `  Slack     ${info.slackUrl} (emulator)`,
      `  Database  ${info.database}`,
      `  Story     ${info.day}, times in ${info.zone}`,
      `  People    ${Object.keys(PEOPLE).join(', ')}; ${MONITOR.label} is the monitoring app`,
      '',
      '  How to read it:',
      '    10:31:00  alem › /incident …      a slash command (a signed form post to the bot)',
      '    10:31:25  alem clicks [Button] …  a click or a pick on the card (a signed block_actions payload)',
      '    10:34:20  ingrid fills in “Form”  a form the bot opened, filled in and submitted (view_submission)',
      '    10:31:30  [#channel] ingrid: …    a message or reaction in Slack (an Events API callback)',
      '              ↳ …                     what people then saw: replies, posts, card updates, forms',
    ];
    for (const line of text) this.line(line);
  }

  outro(
    result: PrintedOutcome,
    how: { databaseUrl: string; deleted: boolean; timeZone: string; ms: number },
  ): void {
    this.heading('The postmortem');
    this.line();
    this.line(
      'The summary Firewatch posted in the incident channel (the whole document is the Markdown file):',
    );
    this.line();
    this.body(result.summaryText, { whole: true, indent: '  │ ' });
    this.line();
    const zone = how.timeZone === 'UTC' ? '' : `FIREWATCH_TIMEZONE=${how.timeZone} `;
    const recompile = (db: string) => `${zone}DATABASE_URL=${db} npm run postmortem -- ${result.incidentId}`;
    this.line(
      how.deleted
        ? `To recompile it without Slack, keep the database: npm run demo -- --db demo.db, then ${recompile('demo.db')}`
        : `To recompile it from the database without Slack: ${recompile(databasePath(how.databaseUrl))}`,
    );
    this.line(`Played in ${(how.ms / 1000).toFixed(1)} s. The compiled postmortem (Markdown):`);
    this.line(result.postmortemPath);
  }
}
