import fs from 'node:fs';
import path from 'node:path';
import { IDS } from '../../src/slack/ids';

const manifest = fs.readFileSync(path.join(__dirname, '../../manifest.yml'), 'utf8');
/** The items of a YAML list under `key:` (one `- item` a line). */
const listUnder = (key: string): string[] => {
  const lines = manifest.split('\n');
  const start = lines.findIndex((l) => l.trim() === `${key}:`);
  const items: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const item = /^\s*- (\S+)\s*$/.exec(line);
    if (!item) break;
    items.push(item[1]!);
  }
  return items;
};

describe('manifest.yml', () => {
  it('asks for the scopes private incident channels need', () => {
    expect(listUnder('bot')).toEqual(
      expect.arrayContaining(['groups:write', 'groups:read', 'groups:history']),
    );
  });

  it('subscribes to joins and leaves, so membership follows the channel', () => {
    expect(listUnder('bot_events')).toEqual(
      expect.arrayContaining(['member_joined_channel', 'member_left_channel', 'message.groups']),
    );
  });

  it('has the Home tab, and subscribes to app_home_opened to publish it', () => {
    expect(manifest).toMatch(/^ {4}home_tab_enabled: true$/m);
    expect(listUnder('bot_events')).toContain('app_home_opened');
  });

  it('asks for no scope that nothing uses (each one named with what needs it)', () => {
    const needed: Record<string, string> = {
      commands: 'the /incident slash command',
      'chat:write': 'posts, the card, ephemerals, DMs to the app channel',
      'chat:write.public': 'announcements in channels the bot was not invited to',
      'channels:manage': 'conversations.create and invite for incident channels',
      'channels:read': 'member_joined_channel / member_left_channel in public channels',
      'channels:history': 'message events and catch-up (conversations.history/replies)',
      'groups:write': 'private incident channels',
      'groups:read': 'membership events in private channels',
      'groups:history': 'messages of private incident channels',
      'pins:write': 'pinning the incident card',
      'reactions:read': 'reaction_added / reaction_removed',
      'users:read': 'users.info: names and role-holder checks',
      'files:write': 'the postmortem upload',
    };
    expect([...listUnder('bot')].sort()).toEqual(Object.keys(needed).sort());
  });

  it('says the same about Socket Mode as the README', () => {
    const readme = fs.readFileSync(path.join(__dirname, '../../README.md'), 'utf8').replace(/\s+/g, ' ');
    expect(manifest).toMatch(
      /socket_mode_enabled to true; Slack then does not use the three request_url lines/,
    );
    expect(readme).toContain('Slack then does not use the three `request_url` lines');
  });
});

describe('manifest.yml shortcuts and interactivity', () => {
  /** The shortcuts under `shortcuts:`, each as its fields. */
  const shortcuts = (): Record<string, string>[] => {
    const lines = manifest.split('\n');
    const start = lines.findIndex((l) => l.trim() === 'shortcuts:');
    const out: Record<string, string>[] = [];
    for (const line of lines.slice(start + 1)) {
      const item = /^\s*(-\s+)?(\w+):\s*(.+)$/.exec(line);
      if (!item || line.trim().startsWith('#')) break;
      if (item[1]) out.push({});
      out.at(-1)![item[2]!] = item[3]!.trim();
    }
    return out;
  };

  it('declares the global and message shortcuts with the callback_ids the app listens to', () => {
    expect(shortcuts().map((s) => [s.type, s.callback_id, s.name])).toEqual([
      ['global', IDS.shortcuts.declare, 'Declare an incident'],
      ['message', IDS.shortcuts.declareFromMessage, 'Declare an incident from this message'],
      ['message', IDS.shortcuts.addToTimeline, 'Add to incident timeline'],
    ]);
    for (const s of shortcuts()) {
      expect(s.name!.length).toBeLessThanOrEqual(40);
      expect(s.description!.length).toBeLessThanOrEqual(100);
    }
  });

  it('turns interactivity on, at the same URL as events and the command', () => {
    expect(manifest).toMatch(
      /interactivity:\n\s+is_enabled: true\n\s+request_url: https:\/\/firewatch\.example\.com\/slack\/events/,
    );
  });
});
