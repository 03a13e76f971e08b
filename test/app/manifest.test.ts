import fs from 'node:fs';
import path from 'node:path';

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
});
