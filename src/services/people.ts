import type { Store } from '../storage';

/**
 * Full names (Slack's `real_name`) of these user ids: the remembered ones first, then `ask` (Slack's
 * users.info) for the rest, remembered for next time (and for the CLI, which has no Slack). Ids
 * nobody can name are left out; callers fall back to a mention or the id. `ask` failing (Slack down)
 * leaves that id out and never throws.
 */
export async function fullNames(
  ids: readonly string[],
  deps: { store: Store; now: number; ask: ((userId: string) => Promise<string | null>) | null },
): Promise<Record<string, string>> {
  const unique = [...new Set(ids)];
  const out = await deps.store.people(unique);
  const learned: Record<string, string> = {};
  for (const id of unique) {
    if (out[id] || !deps.ask) continue;
    const name = await deps.ask(id).catch(() => null);
    if (name) out[id] = learned[id] = name;
  }
  await deps.store.savePeople(learned, deps.now);
  return out;
}
