/**
 * The demo's view of a form (a modal the bot opened): its title and fields in a few lines, and what
 * a person typed or picked in it, as the transcript shows them.
 */

type Obj = Record<string, unknown>;

const isObj = (value: unknown): value is Obj =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const list = (value: unknown): Obj[] => (Array.isArray(value) ? value.filter(isObj) : []);

/** The text of a plain_text or mrkdwn object ('' when there is none). */
const textOf = (value: unknown): string => (isObj(value) && typeof value.text === 'string' ? value.text : '');

/** The first `max` characters of a one-line `text`, with an ellipsis when cut. */
export function clipLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const chars = [...line];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : line;
}

/** The options a select or radio buttons offer (also in option groups). */
function optionsOf(element: Obj): Obj[] {
  return [...list(element.options), ...list(element.option_groups).flatMap((g) => list(g.options))];
}

/** What an input shows before anyone touches it: its value, its choices, or that it is empty. */
function startsWith(element: Obj): string {
  switch (element.type) {
    case 'plain_text_input': {
      const initial = typeof element.initial_value === 'string' ? element.initial_value : '';
      return initial ? `“${clipLine(initial, 40)}”` : 'empty';
    }
    case 'static_select':
    case 'radio_buttons': {
      const initial = textOf(isObj(element.initial_option) ? element.initial_option.text : undefined);
      const choices = optionsOf(element).map((o) => textOf(o.text));
      return initial ? `${initial} ▾` : `▾ ${choices.join(' / ')}`;
    }
    case 'users_select':
      return '▾ a person';
    case 'datepicker':
      return '📅 a date';
    default:
      return `[${String(element.type)}]`;
  }
}

/** One input as the transcript lists it: `Label (optional): what it starts with`. */
function inputLine(block: Obj): string {
  const element = isObj(block.element) ? block.element : {};
  const optional = block.optional === true ? ' (optional)' : '';
  return `${textOf(block.label)}${optional}: ${startsWith(element)}`;
}

/** An input under a header, with the bullets written so far that the form lists above it (if any). */
interface GroupInput {
  block: Obj;
  bullets: number;
}

/** Bullets a context block lists (`• …` lines, and the N of a closing `… and N more`). */
function bulletsIn(text: string): number {
  const lines = text.split('\n');
  const more = Number(/… and (\d+) more/.exec(text)?.[1] ?? 0);
  return lines.filter((l) => l.startsWith('• ')).length + more;
}

/**
 * A header's inputs on one line: which start filled in (a list with bullets written so far counts,
 * named without the form's ": more"), which start empty.
 */
function groupLine(title: string, inputs: GroupInput[]): string {
  const filled: string[] = [];
  const empty: string[] = [];
  for (const { block, bullets } of inputs) {
    const element = isObj(block.element) ? block.element : {};
    const label = textOf(block.label);
    if (bullets > 0) filled.push(`${label.replace(/: more$/, '')} (${bullets} so far)`);
    else if (element.initial_value ?? element.initial_option ?? element.initial_user) filled.push(label);
    else empty.push(label);
  }
  const parts = [
    filled.length > 0 ? `filled in: ${filled.join(', ')}` : '',
    empty.length > 0 ? `empty: ${empty.join(', ')}` : '',
  ];
  return `${title} — ${parts.filter((p) => p.length > 0).join(' · ')}`;
}

/**
 * A form in a few lines: `“Title”  [Cancel] [Submit]`, its first line of text (what it is about),
 * then its inputs one a line (`Label (optional): what it starts with`); a long form's inputs
 * under a header share a line, by whether they start filled in
 * (`Impact — filled in: Impact, Users affected · empty: What customers saw`). Other text is left out.
 */
export function describeForm(view: unknown, mrkdwn: (text: string) => string): string[] {
  if (!isObj(view)) return [];
  const buttons = [view.close, view.submit].map(textOf).filter((t) => t.length > 0);
  const lines = [`“${textOf(view.title)}”  ${buttons.map((b) => `[${b}]`).join(' ')}`.trimEnd()];
  /** Lines, or a header with its inputs (a header without inputs is left out). */
  const rows: Array<string | { title: string; inputs: GroupInput[] }> = [];
  let group: { title: string; inputs: GroupInput[] } | undefined;
  /** Bullets listed by the context block just before (they belong to the next input). */
  let bullets = 0;
  for (const [i, block] of list(view.blocks).entries()) {
    if (block.type === 'header') {
      group = { title: textOf(block.text), inputs: [] };
      rows.push(group);
    } else if (block.type === 'input') {
      if (group) group.inputs.push({ block, bullets });
      else rows.push(inputLine(block));
    } else if (group && block.type === 'context') {
      bullets = bulletsIn(mrkdwn(list(block.elements).map(textOf).join('\n')));
      continue;
    } else if (i === 0 && (block.type === 'section' || block.type === 'context')) {
      // The form's first text says what it is about (the incident); its first line is enough.
      const text = block.type === 'section' ? textOf(block.text) : list(block.elements).map(textOf).join(' ');
      const first = mrkdwn(text).split('\n')[0] ?? '';
      if (first) rows.push(clipLine(first, 100));
    }
    bullets = 0;
  }
  for (const row of rows) {
    if (typeof row === 'string') lines.push(row);
    else if (row.inputs.length > 0) lines.push(groupLine(row.title, row.inputs));
  }
  return lines;
}

/** What a person entered in a form, by block_id, as the emulator client takes it. */
export type Entries = Record<string, string>;

/**
 * What was entered, one field a line (`Label  value`): a picked option by its text, a person as
 * `@name`, a text as typed.
 */
export function describeEntries(view: unknown, entries: Entries, userName: (id: string) => string): string[] {
  const blocks = isObj(view) ? list(view.blocks) : [];
  const rows = Object.entries(entries).map(([blockId, value]) => {
    const block = blocks.find((b) => b.block_id === blockId);
    const element = block && isObj(block.element) ? block.element : {};
    let shown = value;
    if (element.type === 'users_select') shown = `@${userName(value)}`;
    else if (element.type === 'static_select' || element.type === 'radio_buttons') {
      shown = textOf(optionsOf(element).find((o) => o.value === value)?.text) || value;
    }
    return { label: block ? textOf(block.label) : blockId, shown };
  });
  const width = Math.max(0, ...rows.map((r) => [...r.label].length));
  return rows.map((r) => `${r.label.padEnd(width)}  ${r.shown}`);
}

/** A control of a message as the transcript names it: a button's `[text]`, a menu's `[placeholder ▾]`. */
export function controlLabel(blocks: unknown, actionId: string): string | null {
  for (const block of list(blocks)) {
    const elements = [block.accessory, block.element, ...list(block.elements)].filter(isObj);
    const element = elements.find((e) => e.action_id === actionId);
    if (!element) continue;
    return element.type === 'button' ? `[${textOf(element.text)}]` : `[${textOf(element.placeholder)} ▾]`;
  }
  return null;
}

/** A form's title and its submit button's text. */
export function formButtons(view: unknown): { title: string; submit: string } {
  return isObj(view) ? { title: textOf(view.title), submit: textOf(view.submit) } : { title: '', submit: '' };
}
